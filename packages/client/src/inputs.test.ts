import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { Emulator } from "@slng/emulator";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createJob, createSlngCore, SlngValidationError, toFile, type UploadProgress } from "./node.js";
import { BASE, emulator, KEY, wav } from "./test-kit.js";

const dir = mkdtempSync(join(tmpdir(), "slng-inputs-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

function core() {
  const emu = emulator();
  open.push(emu);
  return { emu, core: createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: (r) => emu.fetch(r) }) };
}

describe("upload inputs", () => {
  it.each(["esc\u001bname.wav", "line\nbreak.wav", 'quote"d\\é.wav', "tab\tand\rcr.wav"])(
    "a multipart file name with control or special characters uploads (%j)",
    async (filename) => {
      const { core: c } = core();
      const ack = await createJob(c, { file: wav, filename, upload: "multipart" });
      expect(ack.status).toBe("QUEUED");
    },
  );

  it("onUploadProgress's total is the file's size, on multipart and presigned uploads", async () => {
    const { core: c } = core();
    for (const upload of ["multipart", "presign"] as const) {
      const seen: UploadProgress[] = [];
      await createJob(c, { file: wav, filename: "a.wav", upload, onUploadProgress: (p) => seen.push(p) });
      expect(new Set(seen.map((p) => p.total))).toEqual(new Set([wav.byteLength]));
      expect(seen.at(-1)).toEqual({ phase: "create", loaded: wav.byteLength, total: wav.byteLength });
      expect(seen.find((p) => p.phase === "upload" && p.loaded === wav.byteLength)).toBeDefined();
    }
  });
});

/** The bytes the emulator stored as the job's input. */
async function storedInput(emu: Emulator, jobId: string): Promise<Uint8Array> {
  const files = await emu.fetch(
    new Request(`${BASE}/v1/batch/jobs/${jobId}/files`, { headers: { authorization: `Bearer ${KEY}` } }),
  );
  const url = (await files.json()).inputs[0].download_url;
  return new Uint8Array(await (await emu.fetch(new Request(url))).arrayBuffer());
}

/** `wav` as a stream in 1000-byte chunks, of unknown size. */
const chunked = () =>
  Readable.from(
    (function* () {
      for (let i = 0; i < wav.byteLength; i += 1000) yield wav.subarray(i, i + 1000);
    })(),
  );

describe("more inputs", () => {
  it("a stream of unknown size, spooled to a temp file (removed after) for both flows", async () => {
    const { emu, core: c } = core();
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith("slng-upload-")).length;
    for (const upload of ["multipart", "presign"] as const) {
      const seen: UploadProgress[] = [];
      const ack = await createJob(c, {
        file: { stream: chunked(), filename: "s.wav" },
        upload,
        onUploadProgress: (p) => seen.push(p),
      });
      expect(await storedInput(emu, ack.job_id)).toEqual(wav);
      expect(seen.at(-1)?.total).toBe(wav.byteLength);
    }
    const web = Readable.toWeb(chunked()) as ReadableStream<Uint8Array>;
    const ack = await createJob(c, { file: { stream: web, filename: "w.wav" } });
    expect(await storedInput(emu, ack.job_id)).toEqual(wav);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("slng-upload-")).length).toBe(before);
  });

  it("a fetch Response (named by its URL or filename), a file:// URL and toFile()", async () => {
    const { emu, core: c } = core();
    const response = new Response(Readable.toWeb(chunked()) as ReadableStream<Uint8Array>);
    Object.defineProperty(response, "url", { value: "https://cdn.example/audio/talk.wav?sig=1" });
    const fromResponse = await createJob(c, { file: response });
    expect(await storedInput(emu, fromResponse.job_id)).toEqual(wav);
    const sized = new Response(wav, { headers: { "content-length": String(wav.byteLength) } });
    expect((await createJob(c, { file: sized, filename: "r.wav" })).status).toBe("QUEUED");
    await expect(createJob(c, { file: new Response("no", { status: 404 }), filename: "x.wav" })).rejects.toThrow(
      /404.*pass a successful one/,
    );
    const path = join(dir, "url input.wav");
    writeFileSync(path, wav);
    const fromUrl = await createJob(c, { file: pathToFileURL(path) });
    expect(await storedInput(emu, fromUrl.job_id)).toEqual(wav);
    expect((await createJob(c, { file: pathToFileURL(path).href })).status).toBe("QUEUED");
    const file = await toFile(chunked(), "t.wav");
    expect(file.name).toBe("t.wav");
    expect(await storedInput(emu, (await createJob(c, { file })).job_id)).toEqual(wav);
  });

  it("a stream of unknown size still needs a file name with an audio extension", async () => {
    const { core: c } = core();
    await expect(createJob(c, { file: { stream: chunked(), filename: "notes.txt" } })).rejects.toBeInstanceOf(
      SlngValidationError,
    );
  });
});
