import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCli } from "./cli-args.js";
import { createSampleWav, DEFAULT_API_KEY } from "./index.js";
import { BASE, type TestApi, testApisClosedAfterEach } from "./test-support.js";

const wav = createSampleWav({ seconds: 1 });
const CONFIG = '{"language":"en"}';
const setup = testApisClosedAfterEach();

const totalJobs = async (call: TestApi["call"]) => (await call("GET", "/v1/batch/jobs")).body.meta.total;

function curl(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["-sS", ...args], (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

describe("the lost fault: the request takes effect, its answer is lost", () => {
  it("in-process, by header: fetch rejects but the job was created", async () => {
    const { emu, call } = setup();
    const form = new FormData();
    form.set("file", new Blob([wav as BlobPart]), "a.wav");
    form.set("transcription_config", CONFIG);
    form.set("job_id", "lost1");
    const request = new Request(`${BASE}/v1/batch/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEFAULT_API_KEY}`, "x-slng-emulator-fault": "lost" },
      body: form,
    });
    await expect(emu.fetch(request)).rejects.toThrow(/fetch failed/);
    expect((await call("GET", "/v1/batch/jobs/lost1")).status).toBe(200);
    expect(await totalJobs(call)).toBe(1);
  });

  it("forceFault and seeded random faults (kinds: lost) apply deletes and creates, then drop", async () => {
    const { emu, call, upload, waitFor } = setup();
    const { body } = await upload(wav);
    await waitFor(body.job_id, ["DONE"]);
    emu.forceFault("lost", { match: body.job_id });
    await expect(call("DELETE", `/v1/batch/jobs/${body.job_id}`)).rejects.toThrow(/fetch failed/);
    expect((await call("GET", `/v1/batch/jobs/${body.job_id}`)).body.status).toBe("DELETED");
    const random = setup({ faults: { rate: 1, seed: 3, kinds: ["lost"] } });
    await expect(random.upload(wav)).rejects.toThrow(/fetch failed/);
    random.emu.forceFault("latency", { latencyMs: 0 });
    expect((await random.call("GET", "/v1/batch/jobs")).body.meta.total).toBe(1);
  });

  it("over HTTP the connection closes with no answer after the request took effect", async () => {
    const { emu, call, upload, waitFor } = setup();
    const { url } = await emu.listen();
    const { body } = await upload(wav);
    await waitFor(body.job_id, ["DONE"]);
    const r = await curl([
      "-X",
      "DELETE",
      "-H",
      `Authorization: Bearer ${DEFAULT_API_KEY}`,
      "-H",
      "x-slng-emulator-fault: lost",
      `${url}/v1/batch/jobs/${body.job_id}`,
    ]);
    expect(r.code).toBe(52);
    expect(r.stdout).toBe("");
    expect((await call("GET", `/v1/batch/jobs/${body.job_id}`)).body.status).toBe("DELETED");
  });

  it("is a kind for --fault-kinds and the header, but not drawn unless listed", async () => {
    const { call } = setup({ faults: { rate: 1, seed: 5, latencyMs: 1 } });
    const outcomes = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = await call("GET", "/v1/batch/jobs", { headers: {} }).then(
        (x) => x.res.headers.get("x-slng-emulator-fault-injected") ?? "none",
        (e: Error) => String((e.cause as Error).message),
      );
      outcomes.add(r.replace(/.*(before|after).*/, "dropped $1"));
    }
    expect(outcomes).toEqual(new Set(["500", "503", "429", "latency", "dropped before"]));
    expect(parseCli(["--fault-rate", "0.4", "--fault-kinds", "lost,503"]).options.faults?.kinds).toEqual([
      "lost",
      "503",
    ]);
  });
});

/** JSON text of an object nested `depth` levels (built as text: JSON.stringify itself fails on 5,000). */
const nestText = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"leaf":true}${"}".repeat(depth - 1)}`;
const nest = (depth: number): unknown => JSON.parse(nestText(depth));

describe("deep and huge JSON fields are refused at the door", () => {
  it("5,000 levels in transcription_config, tracking or metadata: 400, and the key's list and jobs stay readable", async () => {
    const { call, upload } = setup();
    const ok = await upload(wav);
    expect(ok.status).toBe(202);
    const deep = nestText(5000);
    const url = "https://x.test/a.wav";
    const bodies = [
      `{"input_url":"${url}","transcription_config":{"language":"en","x":${deep}}}`,
      `{"input_url":"${url}","transcription_config":{},"tracking":{"title":"t","x":${deep}}}`,
      `{"input_url":"${url}","transcription_config":{},"metadata":${deep}}`,
      `{"mode":"presign","filename":"a.wav","transcription_config":{},"tracking":{"x":${deep}}}`,
      `{"mode":${deep}}`,
    ];
    for (const body of bodies) {
      const r = await call("POST", "/v1/batch/jobs", { body, headers: { "content-type": "application/json" } });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error).toMatch(/nests too deeply/);
    }
    for (const field of ["transcription_config", "tracking", "metadata", "output_config"]) {
      const fields: Record<string, string> = { transcription_config: CONFIG, [field]: deep };
      const r = await upload(wav, fields);
      expect(r.status, field).toBe(400);
      expect(r.body.error).toBe(`${field} nests too deeply: at most 32 levels of objects and arrays`);
    }
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(200);
    expect(await totalJobs(call)).toBe(1);
    expect((await call("GET", `/v1/batch/jobs/${ok.body.job_id}`)).status).toBe(200);
  });

  it("the limits are 32 levels and 64 KiB per field", async () => {
    const { call, upload } = setup();
    const fields = (metadata: unknown) => ({ transcription_config: CONFIG, metadata: JSON.stringify(metadata) });
    expect((await upload(wav, fields(nest(32)))).status).toBe(202);
    expect((await upload(wav, fields(nest(33)))).status).toBe(400);
    expect((await upload(wav, fields({ notes: "x".repeat(64 * 1024 - 20) }))).status).toBe(202);
    const huge = await upload(wav, fields({ notes: "x".repeat(64 * 1024) }));
    expect(huge).toMatchObject({ status: 400, body: { error: "metadata is too large: at most 64 KiB of JSON" } });
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(200);
  });
});

const presign = (call: TestApi["call"], jobId: string, key?: string) =>
  call("POST", "/v1/batch/jobs", {
    json: { mode: "presign", filename: "a.wav", content_type: "audio/wav", transcription_config: {}, job_id: jobId },
    ...(key ? { key } : {}),
  });
const put = (fetch: TestApi["fetch"], url: string, body: BodyInit) =>
  fetch(
    new Request(url, { method: "PUT", headers: { "content-type": "audio/wav" }, body, duplex: "half" } as RequestInit),
  );
const inputBytes = async (t: TestApi, id: string) => {
  const files = (await t.call("GET", `/v1/batch/jobs/${id}/files`)).body;
  return new Uint8Array(await (await t.fetch(new Request(files.inputs[0].download_url))).arrayBuffer());
};

describe("a job's input is immutable once the job exists", () => {
  const first = createSampleWav({ seconds: 1, seed: 1 });
  const second = createSampleWav({ seconds: 2, seed: 2 });

  it("a multipart create with a reserved job_id voids the reservation: the presigned PUT is refused", async () => {
    const t = setup();
    const p = await presign(t.call, "swap1");
    expect((await t.upload(first, { transcription_config: CONFIG, job_id: "swap1" })).status).toBe(202);
    const late = await put(t.fetch, p.body.upload.url, second as BlobPart as BodyInit);
    expect(late.status).toBe(403);
    expect((await late.json()).error).toMatch(/no longer valid.*cannot be replaced/);
    const job = (await t.call("GET", "/v1/batch/jobs/swap1")).body;
    expect(job.input_metadata).toMatchObject({ size_bytes: first.length, duration_seconds: 1 });
    expect(await inputBytes(t, "swap1")).toEqual(first);
    const complete = await t.call("POST", "/v1/batch/jobs", {
      json: { s3_key: p.body.upload.s3_key, job_id: "swap1", transcription_config: {} },
    });
    expect(complete.status).toBe(400);
  });

  it("a PUT that finishes after the create is refused and changes nothing", async () => {
    const t = setup();
    const p = await presign(t.call, "swap2");
    expect((await put(t.fetch, p.body.upload.url, first as BlobPart as BodyInit)).status).toBe(200);
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        feed = c;
      },
    });
    const slow = put(t.fetch, p.body.upload.url, stream);
    feed.enqueue(second.subarray(0, 1000));
    await new Promise((r) => setTimeout(r, 20));
    const created = await t.call("POST", "/v1/batch/jobs", {
      json: { s3_key: p.body.upload.s3_key, job_id: "swap2", transcription_config: {} },
    });
    expect(created.status).toBe(202);
    const again = await t.call("POST", "/v1/batch/jobs", {
      json: { s3_key: p.body.upload.s3_key, job_id: "swap2", transcription_config: {} },
    });
    expect(again).toMatchObject({ status: 400, body: { error: expect.stringMatching(/already in use/) } });
    feed.enqueue(second.subarray(1000));
    feed.close();
    expect((await slow).status).toBe(403);
    const job = (await t.call("GET", "/v1/batch/jobs/swap2")).body;
    expect(job.input_metadata).toMatchObject({ size_bytes: first.length, duration_seconds: 1 });
    expect(await inputBytes(t, "swap2")).toEqual(first);
  });
});

describe("a header-only or empty WAV", () => {
  it("is accepted and ends FAILED with a clear error_message, not DONE with 0 s", async () => {
    const t = setup();
    for (const bytes of [createSampleWav({ seconds: 1 }).subarray(0, 44), createSampleWav({ seconds: 0 })]) {
      const r = await t.upload(bytes);
      expect(r.status).toBe(202);
      const job = await t.waitFor(r.body.job_id, ["DONE", "FAILED"]);
      expect(job.status).toBe("FAILED");
      expect(job.error_message.message).toBe(
        "The audio file could not be decoded: its WAV data chunk is empty: the recording has no audio samples.",
      );
    }
  });
});

describe("presign reservations expire with their upload URL", () => {
  const first = createSampleWav({ seconds: 1 });

  it("frees the job id for other keys and removes an uploaded object never completed", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const t = setup({ apiKeys: ["keyA", "keyB"], now: () => now });
    const a = await presign(t.call, "held1", "keyA");
    expect((await presign(t.call, "held1", "keyB")).status).toBe(400);
    const b = await presign(t.call, "held2", "keyA");
    expect((await put(t.fetch, b.body.upload.url, first as BlobPart as BodyInit)).status).toBe(200);
    const stored = join(t.emu.dataDir, "inputs", "held2.wav");
    expect(existsSync(stored)).toBe(true);
    now += 1801 * 1000;
    expect((await put(t.fetch, a.body.upload.url, first as BlobPart as BodyInit)).status).toBe(403);
    expect((await presign(t.call, "held1", "keyB")).status).toBe(200);
    expect(existsSync(stored)).toBe(true);
    now += 1800 * 1000;
    expect((await presign(t.call, "other3", "keyA")).status).toBe(200);
    expect(existsSync(stored)).toBe(false);
    const late = await t.call("POST", "/v1/batch/jobs", {
      json: { s3_key: b.body.upload.s3_key, job_id: "held2", transcription_config: {} },
      key: "keyA",
    });
    expect(late.status).toBe(400);
  });
});

describe("signed URLs: the whole canonical query is signed", () => {
  it("refuses a removed or NONE algorithm, changed signed headers, repeated and added parameters", async () => {
    const t = setup();
    const { body } = await t.upload(wav);
    await t.waitFor(body.job_id, ["DONE"]);
    const files = (await t.call("GET", `/v1/batch/jobs/${body.job_id}/files`)).body;
    const download = files.outputs[0].download_url as string;
    const p = await presign(t.call, "signed1");
    const upload = p.body.upload.url as string;
    const edit = (url: string, f: (q: URLSearchParams) => void) => {
      const u = new URL(url);
      f(u.searchParams);
      return u.toString();
    };
    const get = (url: string) => t.call("GET", url, { key: null });
    const putTo = (url: string) => put(t.fetch, url, wav as BlobPart as BodyInit);
    expect((await get(download)).status).toBe(200);
    const tampered = [
      edit(download, (q) => q.delete("X-Amz-Algorithm")),
      edit(download, (q) => q.set("X-Amz-Algorithm", "NONE")),
      edit(download, (q) => q.set("X-Amz-SignedHeaders", "")),
      edit(download, (q) => q.delete("X-Amz-SignedHeaders")),
      `${download}&X-Amz-Expires=9999999`,
      `${download}&X-Amz-Signature=0`,
      `${download}&X-Amz-Date=20990101T000000Z`,
      `${download}&extra=1`,
    ];
    for (const url of tampered) {
      const r = await get(url);
      expect(r.status, url).toBe(403);
      expect(r.body.error).toMatch(/Algorithm|SignedHeaders|more than once|does not match/);
    }
    for (const url of [
      edit(upload, (q) => q.set("X-Amz-Algorithm", "NONE")),
      edit(upload, (q) => q.set("X-Amz-SignedHeaders", "host")),
      `${upload}&X-Amz-SignedHeaders=host`,
    ])
      expect((await putTo(url)).status, url).toBe(403);
    expect((await putTo(upload)).status).toBe(200);
  });
});

describe("data dir leftovers and Node's own rejections", () => {
  it("a data dir it made is cleaned at start: partial uploads, orphan inputs and outputs (nothing else)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-leftovers-"));
    try {
      writeFileSync(join(dir, ".slng-emulator-data-dir"), "");
      for (const sub of ["tmp", "inputs", "outputs/old1"]) mkdirSync(join(dir, sub), { recursive: true });
      const leftovers = ["tmp/0123456789abcdef01234567", "inputs/old1.wav", "outputs/old1/transcript.txt"];
      for (const f of leftovers) writeFileSync(join(dir, f), "x");
      writeFileSync(join(dir, "notes.txt"), "mine");
      writeFileSync(join(dir, "inputs", "README"), "mine");
      const t = setup({ dataDir: dir });
      for (const f of leftovers) expect(existsSync(join(dir, f)), f).toBe(false);
      expect(readdirSync(join(dir, "outputs"))).toEqual([]);
      expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
      expect(readFileSync(join(dir, "inputs", "README"), "utf8")).toBe("mine");
      expect((await t.upload(wav)).status).toBe(202);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("requests Node's parser refuses get the {error} envelope: 400 malformed, 431 headers too large", async () => {
    const { emu } = setup();
    const { port } = await emu.listen();
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(text));
        let out = "";
        socket.on("data", (d) => {
          out += d;
        });
        socket.on("close", () => resolve(out));
        socket.on("error", reject);
      });
    const parse = (answer: string) => {
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      return { status: Number(head.split(" ")[1]), head: head.toLowerCase(), body: JSON.parse(body) };
    };
    const malformed = parse(await raw("GARBAGE / HTTP/9\r\n\r\n"));
    expect(malformed.status).toBe(400);
    expect(malformed.head).toContain("content-type: application/json");
    expect(malformed.body).toEqual({ error: expect.stringMatching(/^Malformed HTTP request/) });
    const big = parse(await raw(`GET /v1/batch/jobs HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
    expect(big.status).toBe(431);
    expect(big.body.error).toMatch(/^Request header fields too large/);
  });
});
