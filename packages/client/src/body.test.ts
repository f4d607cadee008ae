import { describe, expect, it } from "vitest";
import { chunks, multipart, type Source, toWebStream } from "./body.js";

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

describe("multipart", () => {
  it("encodes fields then the file, parseable by a standard form-data parser, with an exact size", async () => {
    const data = bytes(200_000);
    const src: Source = {
      name: 'we"ird\nname.wav',
      type: "audio/wav",
      size: data.length,
      part: data,
      replayable: true,
    };
    const body = multipart(
      { transcription_config: '{"language":"en"}', job_id: "abc", skipped: undefined },
      src,
      "B0undary",
    );
    let sent = 0;
    const stream = toWebStream(body.parts, (n) => {
      sent += n;
    });
    const form = await new Response(stream, { headers: { "content-type": body.type } }).formData();
    expect(sent).toBe(body.size);
    expect(form.get("transcription_config")).toBe('{"language":"en"}');
    expect(form.get("job_id")).toBe("abc");
    expect(form.has("skipped")).toBe(false);
    const file = form.get("file") as File;
    expect(file.size).toBe(data.length);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
    expect(file.type).toBe("audio/wav");
  });

  it("streams Blobs and lazily opened streams, chunked, and checks declared sizes", async () => {
    const blob = new Blob([bytes(100_000)]);
    const lazy = {
      size: 3,
      open: () =>
        (async function* () {
          yield Uint8Array.of(1, 2, 3);
        })(),
    };
    let total = 0;
    for await (const c of chunks([blob, lazy, bytes(70_000)])) total += c.byteLength;
    expect(total).toBe(170_003);
    const sizes: number[] = [];
    for await (const c of chunks([bytes(150_000)])) sizes.push(c.byteLength);
    expect(sizes).toEqual([65_536, 65_536, 18_928]);
    const liar = {
      size: 5,
      open: () =>
        (async function* () {
          yield Uint8Array.of(1, 2, 3);
        })(),
    };
    await expect(async () => {
      for await (const _ of chunks([liar]));
    }).rejects.toThrow(/declared size is 5/);
  });
});
