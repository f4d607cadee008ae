import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateSchema } from "@slng/contract";
import { DEFAULT_MODEL_CODE } from "@slng/types";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createSampleWav, DEFAULT_API_KEY } from "./index.js";
import {
  contractFetch,
  sampleFlac,
  sampleMp3,
  seen,
  type TestApi,
  testApi,
  testApisClosedAfterEach,
} from "./test-support.js";

const wav = createSampleWav();
/** Changes the first hex digit of a signed URL's signature (always to a different one). */
const tamper = (url: string) =>
  url.replace(/(X-Amz-Signature=)(.)/, (_m, p: string, c: string) => `${p}${c === "0" ? "1" : "0"}`);
const CONFIG = '{"language":"en"}';
const setup = testApisClosedAfterEach();

describe("auth and isolation", () => {
  it("answers 403 with the envelope for a missing, malformed or unknown key", async () => {
    const { call } = setup();
    const missing = await call("GET", "/v1/batch/jobs", { key: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toMatch(/Authorization: Bearer/);
    const malformed = await call("GET", "/v1/batch/jobs", { key: null, headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(403);
    expect((await call("POST", "/v1/batch/jobs", { key: null, json: {} })).status).toBe(403);
    const unknown = await call("GET", "/v1/batch/jobs", { key: "not-a-key" });
    expect(unknown).toMatchObject({ status: 403, body: { error: "API key id not found" } });
    expect(JSON.stringify(unknown.body)).not.toContain("not-a-key");
  });

  it("accepts the demo key by default and the configured keys otherwise", async () => {
    expect(DEFAULT_API_KEY).toBe("slng-emulator-demo-key");
    const { emu, call } = setup({ apiKeys: ["k1", "k2"] });
    expect(emu.apiKeys).toEqual(["k1", "k2"]);
    expect((await call("GET", "/v1/batch/jobs", { key: "k2" })).status).toBe(200);
    expect((await call("GET", "/v1/batch/jobs", { key: DEFAULT_API_KEY })).status).toBe(403);
  });

  it("shows each key only its own jobs: another key's job is 404 everywhere and absent from lists", async () => {
    const { call, upload } = setup({ apiKeys: ["alice", "bob"] });
    const created = await upload(wav, undefined, { key: "alice" });
    expect(created.status).toBe(202);
    const id = created.body.job_id;
    for (const path of [`/v1/batch/jobs/${id}`, `/v1/batch/jobs/${id}/files`]) {
      expect(await call("GET", path, { key: "bob" })).toMatchObject({ status: 404, body: { error: "Job not found" } });
    }
    expect((await call("DELETE", `/v1/batch/jobs/${id}`, { key: "bob" })).status).toBe(404);
    expect((await call("GET", "/v1/batch/jobs", { key: "bob" })).body.meta.total).toBe(0);
    const mine = await call("GET", "/v1/batch/jobs", { key: "alice" });
    expect(mine.body.items.map((j: { job_id: string }) => j.job_id)).toEqual([id]);
    const job = (await call("GET", `/v1/batch/jobs/${id}`, { key: "alice" })).body;
    expect(job.api_key_id).toBeTruthy();
    expect(job.api_key_id).not.toContain("alice");
  });
});

describe("create by multipart upload", () => {
  it("accepts a WAV and measures it: input_metadata has true size, duration, format, mime type, source", async () => {
    const { call, upload } = setup();
    const five = createSampleWav({ seconds: 5, sampleRate: 8000, channels: 2 });
    const r = await upload(five, {
      transcription_config: '{"language":"en","diarization":"speaker"}',
      job_id: "myjob123",
      model_code: DEFAULT_MODEL_CODE,
      tracking: '{"title":"Meeting","reference":"ref-123","tags":["weekly"],"details":"Q1 planning session"}',
      output_config: '{"srt_overrides":{"max_line_length":20,"max_lines":1}}',
      metadata: '{"customer":"acme"}',
    });
    expect(r).toEqual({ status: 202, body: { job_id: "myjob123", status: "QUEUED" } });
    const job = (await call("GET", "/v1/batch/jobs/myjob123")).body;
    expect(job.input_metadata).toEqual({
      size_bytes: five.length,
      duration_seconds: 5,
      format: "wav",
      mime_type: "audio/wav",
      source: "upload",
    });
    expect(job.model_code).toBe(DEFAULT_MODEL_CODE);
    expect(job.job_config).toEqual({
      type: "transcription",
      transcription_config: { language: "en", diarization: "speaker" },
      tracking: { title: "Meeting", reference: "ref-123", tags: ["weekly"], details: "Q1 planning session" },
      output_config: { srt_overrides: { max_line_length: 20, max_lines: 1 } },
    });
  });

  it("detects the format from the bytes, not the name (MP3 and FLAC via music-metadata)", async () => {
    const { call, upload } = setup();
    const mp3 = await upload(sampleMp3(100), undefined, { filename: "really-a-wav.wav" });
    const flac = await upload(sampleFlac(2), undefined, { filename: "noext" });
    const m = (await call("GET", `/v1/batch/jobs/${mp3.body.job_id}`)).body.input_metadata;
    expect(m).toMatchObject({ format: "mp3", mime_type: "audio/mpeg" });
    expect(m.duration_seconds).toBeCloseTo(2.612, 2);
    const f = (await call("GET", `/v1/batch/jobs/${flac.body.job_id}`)).body.input_metadata;
    expect(f).toMatchObject({ format: "flac", duration_seconds: 2, mime_type: "audio/flac" });
    const files = (await call("GET", `/v1/batch/jobs/${mp3.body.job_id}/files`)).body;
    expect(files.inputs[0].key).toBe(`inputs/${mp3.body.job_id}.mp3`);
  });

  it("refuses files that are not audio with 400 naming the accepted formats", async () => {
    const { upload } = setup();
    const pdf = await upload(new TextEncoder().encode("%PDF-1.4 hello"), undefined, { filename: "a.wav" });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error).toMatch(/PDF.*Accepted formats: wav, mp3/);
    const junk = await upload(new Uint8Array([1, 2, 3, 250, 251, 0, 9]), undefined, { filename: "a.bin" });
    expect(junk.status).toBe(400);
    expect(junk.body.error).toMatch(/Unsupported or unrecognised audio format/);
    const empty = await upload(new Uint8Array(0));
    expect(empty).toMatchObject({ status: 400, body: { error: expect.stringMatching(/empty/) } });
  });

  it("accepts a file that claims a supported format but cannot be decoded, then ends FAILED with a clear message", async () => {
    const { upload, waitFor } = setup();
    const r = await upload(new Uint8Array([1, 2, 3, 250, 251, 0, 9, 7]), undefined, { filename: "broken.mp3" });
    expect(r.status).toBe(202);
    const job = await waitFor(r.body.job_id, ["FAILED"]);
    expect(job.error_message.message).toMatch(/could not be decoded.*mp3/);
    const truncatedWav = createSampleWav().subarray(0, 30);
    const w = await upload(truncatedWav);
    expect(w.status).toBe(202);
    expect((await waitFor(w.body.job_id, ["FAILED"])).error_message.message).toMatch(/could not be decoded/);
  });

  it("validates every field and says what is wrong", async () => {
    const { upload, call } = setup();
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /transcription_config is required/],
      [{ transcription_config: "{nope" }, /transcription_config must be JSON text/],
      [{ transcription_config: "[1]" }, /transcription_config must be a JSON object/],
      [{ transcription_config: "null" }, /transcription_config must be a JSON object/],
      [
        { transcription_config: '{"operating_point":"turbo"}' },
        /operating_point 'turbo'. Allowed values: standard, enhanced/,
      ],
      [{ transcription_config: '{"diarization":"yes"}' }, /Allowed values: none, speaker, channel/],
      [{ transcription_config: '{"enable_entities":"yes"}' }, /enable_entities must be true or false/],
      [{ transcription_config: '{"additional_vocab":[{"sounds_like":["x"]}]}' }, /additional_vocab\[0\]/],
      [{ transcription_config: CONFIG, job_id: "my-job" }, /job_id must be alphanumeric/],
      [
        { transcription_config: CONFIG, model_code: "whisper" },
        /Unsupported model_code 'whisper'. Allowed: slng\/speechmatics\/batch:15.0.0/,
      ],
      [{ transcription_config: CONFIG, metadata: "5" }, /metadata must be a JSON object/],
      [{ transcription_config: CONFIG, tracking: '{"tags":"x"}' }, /tracking.tags must be an array of strings/],
      [{ transcription_config: CONFIG, tracking: '{"details":{"a":1}}' }, /tracking.details must be a string/],
      [
        { transcription_config: CONFIG, output_config: '{"srt_overrides":{"max_lines":0}}' },
        /max_lines must be an integer/,
      ],
      [
        { transcription_config: CONFIG, metadata: '{"emulator":{"fail":3}}' },
        /metadata.emulator.fail must be a non-empty string/,
      ],
      [{ transcription_config: CONFIG, colour: "blue" }, /Unknown form field 'colour'/],
    ];
    for (const [fields, message] of cases) {
      const r = await upload(wav, fields);
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    expect((await call("GET", "/v1/batch/jobs")).body.meta.total).toBe(0);
  });

  it("rejects a duplicate job_id with 400 and keeps the first job", async () => {
    const { upload, call } = setup();
    expect((await upload(wav, { transcription_config: CONFIG, job_id: "dup1" })).status).toBe(202);
    const again = await upload(wav, { transcription_config: CONFIG, job_id: "dup1" });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatch(/job_id 'dup1' is already in use/);
    expect((await call("GET", "/v1/batch/jobs")).body.meta.total).toBe(1);
  });

  it("answers malformed multipart with 400, never 500", async () => {
    const { call } = setup();
    const noBoundary = await call("POST", "/v1/batch/jobs", {
      body: "garbage",
      headers: { "content-type": "multipart/form-data" },
    });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.body.error).toMatch(/Malformed multipart/);
    const truncated = await call("POST", "/v1/batch/jobs", {
      body: '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF',
      headers: { "content-type": "multipart/form-data; boundary=XX" },
    });
    expect(truncated.status).toBe(400);
    const fileAsText = await call("POST", "/v1/batch/jobs", {
      body: `--XX\r\nContent-Disposition: form-data; name="file"\r\n\r\nhello\r\n--XX--\r\n`,
      headers: { "content-type": "multipart/form-data; boundary=XX" },
    });
    expect(fileAsText.status).toBe(400);
    expect(fileAsText.body.error).toMatch(/must be a file part/);
    const form = new FormData();
    form.set("transcription_config", CONFIG);
    const noFile = await call("POST", "/v1/batch/jobs", { body: form });
    expect(noFile).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Missing file/) } });
    const twoFiles = new FormData();
    twoFiles.append("file", new Blob([wav as BlobPart]), "a.wav");
    twoFiles.append("file", new Blob([wav as BlobPart]), "b.wav");
    twoFiles.set("transcription_config", CONFIG);
    expect((await call("POST", "/v1/batch/jobs", { body: twoFiles })).status).toBe(400);
    const other = new FormData();
    other.set("audio", new Blob([wav as BlobPart]), "a.wav");
    expect((await call("POST", "/v1/batch/jobs", { body: other })).body.error).toMatch(/Unexpected file part 'audio'/);
  });

  it("sanitises huge and odd filenames", async () => {
    const { upload, call, waitFor, fetch } = setup();
    const control = await upload(wav, undefined, { filename: "a\u0001.wav" });
    expect(control).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Malformed multipart/) } });
    const names: [string, (n: string) => void][] = [
      [`${"x".repeat(5000)} "quoted" ü ✓.wav`, (n) => expect(n.length === 255 && n.endsWith("xxx.wav")).toBe(true)],
      ["../../etc/passwd.wav", (n) => expect(n).toBe("passwd.wav")],
      ["C:\\Windows\\..\\evil.wav", (n) => expect(n).toBe("evil.wav")],
      ["...", (n) => expect(n).toBe("audio")],
    ];
    for (const [name, check] of names) {
      const r = await upload(wav, undefined, { filename: name });
      expect(r.status).toBe(202);
      await waitFor(r.body.job_id, ["DONE"]);
      const files = (await call("GET", `/v1/batch/jobs/${r.body.job_id}/files`)).body;
      expect(files.inputs[0].key).toBe(`inputs/${r.body.job_id}.wav`);
      const transcript = await (await fetch(new Request(files.outputs[0].download_url))).json();
      check(transcript.job.data_name);
    }
  });

  it("accepts a file of exactly the limit and refuses one byte more while streaming", async () => {
    const exact = createSampleWav({ seconds: 1, sampleRate: 8000 });
    const { upload, emu } = setup({ maxInputBytes: exact.length });
    expect((await upload(exact)).status).toBe(202);
    const over = new Uint8Array(exact.length + 1);
    over.set(exact);
    const r = await upload(over);
    expect(r).toEqual({ status: 413, body: { error: `File too large. Maximum size is ${exact.length} bytes.` } });
    expect(readdirSync(join(emu.dataDir, "tmp"))).toEqual([]);
  });

  it("answers 413 from Content-Length before reading a body over 1 GB", async () => {
    const { fetch } = setup();
    const res = await fetch(
      new Request("http://emulator.test/v1/batch/jobs", {
        method: "POST",
        headers: {
          authorization: `Bearer ${DEFAULT_API_KEY}`,
          "content-type": "multipart/form-data; boundary=XX",
          "content-length": String(2 * 1024 ** 3),
        },
        body: "--XX--",
      }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "File too large. Maximum size is 1 GB." });
  });
});

describe("other create bodies", () => {
  it("answers bad JSON, non-object JSON, unknown shapes and wrong content types with 400", async () => {
    const { call } = setup();
    const bad = await call("POST", "/v1/batch/jobs", {
      body: "{oops",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/Malformed JSON body/);
    expect((await call("POST", "/v1/batch/jobs", { json: [1, 2] })).body.error).toMatch(/must be an object/);
    expect((await call("POST", "/v1/batch/jobs", { json: { hello: 1 } })).body.error).toMatch(/input_url/);
    const text = await call("POST", "/v1/batch/jobs", { body: "hi", headers: { "content-type": "text/plain" } });
    expect(text.body.error).toMatch(/Unsupported Content-Type 'text\/plain'/);
    const huge = await call("POST", "/v1/batch/jobs", {
      json: { input_url: "https://x.test/a.wav", pad: "x".repeat(1_100_000) },
    });
    expect(huge.status).toBe(413);
  });

  it("validates input_url: https only, http only for loopback", async () => {
    const { call } = setup();
    for (const url of ["ftp://x.test/a.wav", "http://example.com/a.wav", "not a url", ""]) {
      const r = await call("POST", "/v1/batch/jobs", {
        json: { input_url: url, transcription_config: { language: "en" } },
      });
      expect(r.status, url).toBe(400);
      expect(r.body.error).toMatch(/input_url/);
    }
    const missing = await call("POST", "/v1/batch/jobs", { json: { input_url: "https://x.test/a.wav" } });
    expect(missing.body.error).toMatch(/transcription_config is required/);
    const extra = await call("POST", "/v1/batch/jobs", {
      json: { input_url: "https://x.test/a.wav", transcription_config: {}, foo: 1 },
    });
    expect(extra.body.error).toMatch(/Unknown field 'foo'.*Allowed fields/);
  });
});

describe("URL input", () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  let serverUrl: string | undefined;
  async function serveAudio(): Promise<string> {
    if (serverUrl) return serverUrl;
    server = createServer((req, res) => {
      if (req.url === "/a.wav") {
        res.writeHead(200, { "content-type": "audio/wav", "content-length": wav.length });
        res.end(wav);
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "/a.wav" });
        res.end();
      } else if (req.url === "/huge") {
        res.writeHead(200, { "content-length": String(2 * 1024 ** 3) });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return serverUrl;
  }

  it("fails on purpose with a JSON metadata object too", async () => {
    const base = await serveAudio();
    const { call, waitFor } = setup();
    const r = await call("POST", "/v1/batch/jobs", {
      json: { input_url: `${base}/a.wav`, transcription_config: {}, metadata: { emulator: { fail: "Bad audio" } } },
    });
    expect(r.status).toBe(202);
    expect((await waitFor(r.body.job_id, ["FAILED"])).error_message).toEqual({ message: "Bad audio" });
  });

  it("fetches the audio (following redirects), measures it and reports source url", async () => {
    const base = await serveAudio();
    const { call, waitFor } = setup();
    for (const path of ["/a.wav", "/redirect"]) {
      const r = await call("POST", "/v1/batch/jobs", {
        json: { input_url: `${base}${path}`, transcription_config: { language: "en" }, metadata: { a: 1 } },
      });
      expect(r.status).toBe(202);
      const job = await waitFor(r.body.job_id, ["DONE"]);
      expect(job.input_metadata).toEqual({
        size_bytes: wav.length,
        duration_seconds: 3,
        format: "wav",
        mime_type: "audio/wav",
        source: "url",
      });
    }
    const missing = await call("POST", "/v1/batch/jobs", {
      json: { input_url: `${base}/nope.wav`, transcription_config: {} },
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: "Could not fetch input_url: the server answered 404" },
    });
    const huge = await call("POST", "/v1/batch/jobs", {
      json: { input_url: `${base}/huge`, transcription_config: {} },
    });
    expect(huge.status).toBe(413);
    const closed = await call("POST", "/v1/batch/jobs", {
      json: { input_url: "http://127.0.0.1:9/a.wav", transcription_config: {} },
    });
    expect(closed.status).toBe(400);
    expect(closed.body.error).toMatch(/Could not fetch input_url/);
  });
});

describe("presigned upload", () => {
  it("runs the three steps; the PUT must be signed, keyless and carry the signed Content-Type", async () => {
    const { call, fetch, waitFor } = setup();
    const step1 = await call("POST", "/v1/batch/jobs", {
      json: {
        mode: "presign",
        filename: "meeting.wav",
        content_type: "audio/wav",
        job_id: "pre1",
        transcription_config: { language: "en" },
        tracking: { title: "T" },
      },
    });
    expect(step1.status).toBe(200);
    const p = step1.body;
    expect(p).toMatchObject({
      job_id: "pre1",
      transcription_config: { language: "en" },
      tracking: { title: "T" },
      input_s3_uri: "s3://slng-emulator/inputs/pre1.wav",
      output_s3_prefix: "s3://slng-emulator/outputs/pre1/",
      upload: { s3_key: "inputs/pre1.wav", expires_in: 1800, headers: { "Content-Type": "audio/wav" } },
    });
    expect(p.upload.url).toMatch(/^http:\/\/emulator\.test\/storage\/inputs\/pre1\.wav\?.*X-Amz-Signature=/);
    expect((await call("GET", "/v1/batch/jobs/pre1")).status).toBe(404);

    const early = await call("POST", "/v1/batch/jobs", { json: { s3_key: p.upload.s3_key, transcription_config: {} } });
    expect(early.body.error).toMatch(/PUT the file to upload.url first/);

    const put = (headers: Record<string, string>, url = p.upload.url) =>
      fetch(new Request(url, { method: "PUT", headers, body: wav as BlobPart }));
    const withKey = await put({ "content-type": "audio/wav", authorization: `Bearer ${DEFAULT_API_KEY}` });
    expect(withKey.status).toBe(400);
    expect((await withKey.json()).error).toMatch(/must not carry an Authorization header/);
    expect((await put({ "content-type": "application/octet-stream" })).status).toBe(403);
    expect((await put({ "content-type": "audio/wav" }, tamper(p.upload.url))).status).toBe(403);
    expect((await put({ "content-type": "audio/wav" }, p.upload.url.replace("pre1.wav", "pre2.wav"))).status).toBe(403);
    expect((await put({ "content-type": "audio/wav" })).status).toBe(200);

    const done = await call("POST", "/v1/batch/jobs", {
      json: {
        s3_key: p.upload.s3_key,
        job_id: "pre1",
        transcription_config: p.transcription_config,
        tracking: p.tracking,
      },
    });
    expect(done).toEqual(expect.objectContaining({ status: 202, body: { job_id: "pre1", status: "QUEUED" } }));
    const job = await waitFor("pre1", ["DONE"]);
    expect(job.input_metadata).toMatchObject({
      source: "presign",
      size_bytes: wav.length,
      format: "wav",
      duration_seconds: 3,
    });
    expect((await put({ "content-type": "audio/wav" })).status).toBe(403);
    const reuse = await call("POST", "/v1/batch/jobs", { json: { s3_key: p.upload.s3_key, transcription_config: {} } });
    expect(reuse.status).toBe(400);
  });

  it("validates the presign request and completion", async () => {
    const { call } = setup();
    const bad = async (json: unknown, re: RegExp) => {
      const r = await call("POST", "/v1/batch/jobs", { json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.error).toMatch(re);
    };
    await bad({ mode: "upload", filename: "a.wav", transcription_config: {} }, /Invalid mode 'upload'/);
    await bad({ mode: "presign", transcription_config: {} }, /filename is required/);
    await bad({ mode: "presign", filename: "a.txt", transcription_config: {} }, /Unsupported file type 'a.txt'/);
    await bad({ mode: "presign", filename: "a.wav" }, /transcription_config is required/);
    await bad({ mode: "presign", filename: "a.wav", transcription_config: {}, job_id: "a b" }, /alphanumeric/);
    await bad(
      { mode: "presign", filename: "a.wav", transcription_config: {}, metadata: {} },
      /Unknown field 'metadata'/,
    );
    await bad({ mode: "presign", filename: "a.wav", content_type: "x\r\ny", transcription_config: {} }, /content_type/);
    await bad({ s3_key: "inputs/nothing.wav", transcription_config: {} }, /Unknown s3_key/);
    const p = (
      await call("POST", "/v1/batch/jobs", { json: { mode: "presign", filename: "a.mp3", transcription_config: {} } })
    ).body;
    expect(p.job_id).toMatch(/^[A-Za-z0-9]+$/);
    expect(p.upload.headers).toEqual({ "Content-Type": "application/octet-stream" });
    await bad(
      { s3_key: p.upload.s3_key, job_id: "other", transcription_config: {} },
      /must match the presign response's job_id/,
    );
  });

  it("refuses an expired upload URL with 403", async () => {
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const { call, fetch } = setup({ now: () => clock });
    const p = (
      await call("POST", "/v1/batch/jobs", { json: { mode: "presign", filename: "a.wav", transcription_config: {} } })
    ).body;
    clock += 1801 * 1000;
    const res = await fetch(
      new Request(p.upload.url, {
        method: "PUT",
        headers: { "content-type": "application/octet-stream" },
        body: wav as BlobPart,
      }),
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/expired/);
  });
});

describe("lifecycle", () => {
  it("moves QUEUED → IN_PROGRESS → DECODING → POST_PROCESSING → DONE on the clock, with correct timestamps", async () => {
    const t0 = Date.parse("2026-03-01T10:00:00Z");
    let clock = t0;
    const { call, upload } = setup({ now: () => clock, rtf: 1, minStageMs: 100 });
    const id = (await upload(createSampleWav({ seconds: 10 }))).body.job_id;
    const at = async (ms: number) => {
      clock = t0 + ms;
      return (await call("GET", `/v1/batch/jobs/${id}`)).body;
    };
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    let j = await at(0);
    expect(j).toMatchObject({
      status: "QUEUED",
      started_at: null,
      completed_at: null,
      submitted_at: iso(0),
      updated_at: iso(0),
    });
    expect(j.output_metadata).toEqual({});
    expect(j.error_message).toBeNull();
    j = await at(600);
    expect(j).toMatchObject({ status: "IN_PROGRESS", started_at: iso(500), updated_at: iso(500), completed_at: null });
    j = await at(1600);
    expect(j).toMatchObject({ status: "DECODING", updated_at: iso(1500) });
    j = await at(8600);
    expect(j).toMatchObject({ status: "POST_PROCESSING", updated_at: iso(8500) });
    const listed = (await call("GET", "/v1/batch/jobs?status=POST_PROCESSING")).body;
    expect(listed.items.map((x: { job_id: string; status: string }) => [x.job_id, x.status])).toEqual([
      [id, "POST_PROCESSING"],
    ]);
    expect((await call("GET", "/v1/batch/jobs?status=DONE,FAILED")).body.meta.total).toBe(0);
    const files = (await call("GET", `/v1/batch/jobs/${id}/files`)).body;
    expect(files.outputs).toEqual([]);
    expect(files.inputs).toHaveLength(1);
    j = await at(10_000);
    expect(j).toMatchObject({
      status: "DONE",
      completed_at: iso(10_000),
      updated_at: iso(10_000),
      expired_at: null,
      deleted_at: null,
    });
    expect(j.output_metadata.formats).toEqual(["json", "txt", "srt"]);
    expect((await at(50_000)).updated_at).toBe(iso(10_000));
  });

  it("processing time follows the duration: a 3 s clip is quick, a 5-minute one takes about 30 s by default", async () => {
    const t0 = 1_700_000_000_000;
    let clock = t0;
    const { call, upload } = setup({ now: () => clock, rtf: undefined, minStageMs: undefined });
    const short = (await upload(createSampleWav({ seconds: 3, sampleRate: 8000 }))).body.job_id;
    const long = (await upload(createSampleWav({ seconds: 300, sampleRate: 8000 }))).body.job_id;
    clock = t0 + 2000;
    expect((await call("GET", `/v1/batch/jobs/${short}`)).body.status).toBe("DONE");
    clock = t0 + 29_000;
    expect((await call("GET", `/v1/batch/jobs/${long}`)).body.status).not.toBe("DONE");
    clock = t0 + 31_000;
    expect((await call("GET", `/v1/batch/jobs/${long}`)).body.status).toBe("DONE");
  });

  it("fails on purpose with metadata.emulator.fail after reaching DECODING", async () => {
    const t0 = 1_700_000_000_000;
    let clock = t0;
    const { call, upload } = setup({ now: () => clock, minStageMs: 100 });
    const id = (
      await upload(wav, { transcription_config: CONFIG, metadata: '{"emulator":{"fail":"Speaker too quiet"}}' })
    ).body.job_id;
    clock = t0 + 250;
    expect((await call("GET", `/v1/batch/jobs/${id}`)).body.status).toBe("DECODING");
    clock = t0 + 1000;
    const job = (await call("GET", `/v1/batch/jobs/${id}`)).body;
    expect(job).toMatchObject({
      status: "FAILED",
      error_message: { message: "Speaker too quiet" },
      completed_at: new Date(t0 + 300).toISOString(),
      output_metadata: {},
    });
    expect((await call("GET", `/v1/batch/jobs/${id}/files`)).body.outputs).toEqual([]);
  });

  it("sets expired_at after the retention period and removes the files", async () => {
    const t0 = 1_700_000_000_000;
    let clock = t0;
    const { call, upload, fetch } = setup({ now: () => clock, retentionSeconds: 60 });
    const id = (await upload(wav)).body.job_id;
    const files = (await call("GET", `/v1/batch/jobs/${id}/files`)).body;
    expect((await call("GET", `/v1/batch/jobs/${id}`)).body.expired_at).toBeNull();
    clock = t0 + 61_000;
    const job = (await call("GET", `/v1/batch/jobs/${id}`)).body;
    expect(job).toMatchObject({
      status: "DONE",
      expired_at: new Date(t0 + 60_000).toISOString(),
      updated_at: new Date(t0 + 60_000).toISOString(),
    });
    expect((await call("GET", `/v1/batch/jobs/${id}/files`)).body).toEqual({ job_id: id, inputs: [], outputs: [] });
    expect((await fetch(new Request(files.inputs[0].download_url))).status).toBe(404);
  });
});

describe("outputs", () => {
  async function done(
    api: TestApi,
    config: string,
    fields: Record<string, string> = {},
    audio = createSampleWav({ seconds: 20, sampleRate: 8000, channels: 2 }),
  ) {
    const id = (await api.upload(audio, { transcription_config: config, ...fields })).body.job_id;
    await api.waitFor(id, ["DONE"]);
    const files = (await api.call("GET", `/v1/batch/jobs/${id}/files`)).body;
    const get = async (format: string) => {
      const entry = files.outputs.find((o: { format: string }) => o.format === format);
      const res = await api.fetch(new Request(entry.download_url));
      expect(res.status).toBe(200);
      return { type: res.headers.get("content-type"), text: await res.text() };
    };
    return { id, files, get };
  }

  it("json is json-v2 with synthetic deterministic words inside the real duration, and says it is from the emulator", async () => {
    const api = setup();
    const { id, files, get } = await done(api, '{"language":"en","diarization":"speaker"}', { job_id: "speakers1" });
    expect(files.outputs.map((o: { format: string }) => o.format)).toEqual(["json", "txt", "srt"]);
    expect(files.outputs[0].key).toBe(`outputs/${id}/transcript.json`);
    const { type, text } = await get("json");
    expect(type).toMatch(/application\/json/);
    const t = JSON.parse(text);
    expect(validateSchema("JsonV2Transcript", t).errors).toEqual([]);
    expect(t.emulator).toMatchObject({ generator: "@slng/emulator", synthetic: true });
    expect(t.job).toMatchObject({ id, duration: 20, data_name: "sample.wav" });
    expect(t.results.length).toBeGreaterThan(10);
    let last = 0;
    const speakers = new Set<string>();
    for (const item of t.results) {
      expect(item.start_time).toBeGreaterThanOrEqual(last - 1e-9);
      expect(item.end_time).toBeLessThanOrEqual(20);
      expect(item.end_time).toBeGreaterThanOrEqual(item.start_time);
      last = item.start_time;
      const alt = item.alternatives[0];
      expect(alt.confidence).toBeGreaterThan(0);
      expect(alt.confidence).toBeLessThanOrEqual(1);
      speakers.add(alt.speaker);
    }
    expect([...speakers].sort()).toEqual(["S1", "S2"]);
    expect(t.results.some((i: { type: string; is_eos?: boolean }) => i.type === "punctuation" && i.is_eos)).toBe(true);

    const first = await (await done(api, "{}", { job_id: "same1" })).get("json");
    const second = await (await done(setup(), "{}", { job_id: "same1" })).get("json");
    const other = await (await done(api, "{}", { job_id: "other1" })).get("json");
    expect(JSON.parse(second.text).results).toEqual(JSON.parse(first.text).results);
    expect(JSON.parse(other.text).results).not.toEqual(JSON.parse(first.text).results);
  });

  it("serves a small file through read buffers the size of the file, not 64 KiB per read", async () => {
    const { get } = await done(setup(), "{}");
    const { text } = await get("txt");
    const original = Buffer.allocUnsafeSlow;
    let allocated = 0;
    const slow = vi.spyOn(Buffer, "allocUnsafeSlow").mockImplementation((size: number) => {
      if (/ReadStream\._read/.test(new Error().stack ?? "")) allocated += size;
      return original.call(Buffer, size);
    });
    try {
      expect((await get("txt")).text).toBe(text);
      expect(allocated).toBeGreaterThan(0);
      expect(allocated).toBeLessThanOrEqual(4 * (Buffer.byteLength(text) + 1));
    } finally {
      slow.mockRestore();
    }
  });

  it("labels channels for diarization channel, and none without diarization", async () => {
    const api = setup();
    const ch = JSON.parse(
      (await (await done(api, '{"diarization":"channel","language":"de"}', { job_id: "channels1" })).get("json")).text,
    );
    const labels = new Set(ch.results.map((i: { channel: string }) => i.channel));
    expect([...labels].sort()).toEqual(["channel_1", "channel_2"]);
    expect(ch.results[0].alternatives[0].language).toBe("de");
    const plain = JSON.parse((await (await done(api, "{}")).get("json")).text);
    expect(
      plain.results.every(
        (i: { channel?: string; alternatives: { speaker?: string }[] }) => !i.channel && !i.alternatives[0]?.speaker,
      ),
    ).toBe(true);
  });

  it("txt has the words; srt honours srt_overrides", async () => {
    const api = setup();
    const { get } = await done(api, "{}", { output_config: '{"srt_overrides":{"max_line_length":16,"max_lines":1}}' });
    const json = JSON.parse((await get("json")).text);
    const txt = await get("txt");
    expect(txt.type).toMatch(/text\/plain/);
    const words = json.results
      .filter((i: { type: string }) => i.type === "word")
      .map((i: { alternatives: { content: string }[] }) => i.alternatives[0]?.content);
    expect(txt.text.replace(/[.,?]/g, "").split(/\s+/).filter(Boolean)).toEqual(words);
    const srt = (await get("srt")).text;
    const blocks = srt.trim().split(/\n\n/);
    expect(blocks.length).toBeGreaterThan(3);
    for (const [i, block] of blocks.entries()) {
      const lines = block.split("\n");
      expect(lines[0]).toBe(String(i + 1));
      expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/);
      const text = lines.slice(2);
      expect(text).toHaveLength(1);
      for (const l of text) if (l.includes(" ")) expect(l.length).toBeLessThanOrEqual(16);
    }
    const defaults = await (await done(api, "{}")).get("srt");
    for (const block of defaults.text.trim().split(/\n\n/)) {
      const text = block.split("\n").slice(2);
      expect(text.length).toBeLessThanOrEqual(2);
      for (const l of text) expect(l.length).toBeLessThanOrEqual(37);
    }
  });
});

describe("list", () => {
  async function seed(api: TestApi, clockRef: { t: number }) {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clockRef.t += 1000;
      const meta = i === 4 ? '{"emulator":{"fail":"nope"}}' : "{}";
      ids.push(
        (await api.upload(wav, { transcription_config: CONFIG, job_id: `job${i}`, metadata: meta })).body.job_id,
      );
    }
    return ids;
  }

  it("pages with exact meta, sorts and filters", async () => {
    const clock = { t: Date.parse("2026-05-01T00:00:00Z") };
    const api = setup({ now: () => clock.t });
    await seed(api, clock);
    clock.t += 10_000;
    const list = async (q: string) => (await api.call("GET", `/v1/batch/jobs${q}`)).body;
    const all = await list("");
    expect(all.meta).toEqual({ page: 1, page_size: 20, total: 5, pages: 1 });
    expect(all.items.map((j: { job_id: string }) => j.job_id)).toEqual(["job4", "job3", "job2", "job1", "job0"]);
    expect(await list("?page=2&page_size=2")).toMatchObject({ meta: { page: 2, page_size: 2, total: 5, pages: 3 } });
    expect((await list("?page=3&page_size=2")).items.map((j: { job_id: string }) => j.job_id)).toEqual(["job0"]);
    expect((await list("?page=9&page_size=2")).items).toEqual([]);
    expect((await list("?sort_order=asc")).items[0].job_id).toBe("job0");
    expect((await list("?status=FAILED")).items.map((j: { job_id: string }) => j.job_id)).toEqual(["job4"]);
    expect((await list("?status=DONE,FAILED")).meta.total).toBe(5);
    expect((await list("?status=POST_PROCESSING")).meta.total).toBe(0);
    expect((await list("?sort_by=status&sort_order=asc")).items.at(-1).job_id).toBe("job4");
    expect((await list(`?model_code=${encodeURIComponent(DEFAULT_MODEL_CODE)}`)).meta.total).toBe(5);
    expect((await list("?model_code=other")).meta.total).toBe(0);
    expect((await list("?sort_by=model_code")).meta.total).toBe(5);
    expect(
      (await list("?submitted_after=2026-05-01T00:00:02.500Z")).items.map((j: { job_id: string }) => j.job_id),
    ).toEqual(["job4", "job3", "job2"]);
    expect(
      (await list("?submitted_before=2026-05-01T00:00:02.500Z&sort_order=asc")).items.map(
        (j: { job_id: string }) => j.job_id,
      ),
    ).toEqual(["job0", "job1"]);
    expect((await list("?submitted_after=2026-05-01T02:00:02+02:00")).meta.total).toBe(3);
    expect((await list("?submitted_after=2026-05-01T02:00:02 02:00")).meta.total).toBe(3);
    expect((await list("?submitted_after=2026-04-30T00:00:00Z")).meta.total).toBe(5);
  });

  it("says which value is bad and lists the allowed ones", async () => {
    const { call } = setup();
    const cases: [string, RegExp][] = [
      [
        "status=DONE,WAITING",
        /Invalid status 'WAITING'. Allowed values: QUEUED, IN_PROGRESS, DECODING, POST_PROCESSING, DONE, FAILED, DELETED/,
      ],
      ["status=", /Invalid status ''/],
      ["sort_by=size", /Invalid sort_by 'size'. Allowed values: submitted_at, status, model_code/],
      ["sort_order=up", /Invalid sort_order 'up'. Allowed values: asc, desc/],
      ["page=0", /Invalid page '0': must be an integer from 1/],
      ["page=abc", /Invalid page 'abc'/],
      ["page_size=101", /Invalid page_size '101': must be an integer from 1 to 100/],
      ["page_size=1.5", /Invalid page_size/],
      ["submitted_after=yesterday", /Invalid submitted_after 'yesterday'.*ISO 8601/],
      ["submitted_before=2026-13-45T99:00:00Z", /Invalid submitted_before/],
    ];
    for (const [q, re] of cases) {
      const r = await call("GET", `/v1/batch/jobs?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toMatch(re);
    }
  });
});

describe("get, delete, files", () => {
  it("rejects non-alphanumeric ids with 400 and unknown ids with 404", async () => {
    const { call } = setup();
    for (const path of ["/v1/batch/jobs/bad-id", "/v1/batch/jobs/bad%20id/files", "/v1/batch/jobs/%E2%9C%93"]) {
      const r = await call("GET", path);
      expect(r.status, path).toBe(400);
      expect(r.body.error).toMatch(/job_id must be alphanumeric/);
    }
    expect((await call("DELETE", "/v1/batch/jobs/bad_id")).status).toBe(400);
    expect(await call("GET", "/v1/batch/jobs/nope")).toMatchObject({ status: 404, body: { error: "Job not found" } });
    expect((await call("GET", "/v1/batch/nothing")).status).toBe(404);
  });

  it("deletes only terminal jobs: 409 before, then 202 DELETED with deleted_at and the files gone", async () => {
    const t0 = 1_700_000_000_000;
    let clock = t0;
    const { call, upload, fetch, emu } = setup({ now: () => clock, minStageMs: 100 });
    const inputPath = (id: string) => join(emu.dataDir, "inputs", `${id}.wav`);
    const id = (await upload(wav)).body.job_id;
    const early = await call("DELETE", `/v1/batch/jobs/${id}`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/^Job must be DONE or FAILED to delete/);
    clock = t0 + 10_000;
    expect(existsSync(inputPath(id))).toBe(true);
    const files = (await call("GET", `/v1/batch/jobs/${id}/files`)).body;
    expect((await fetch(new Request(files.outputs[2].download_url))).status).toBe(200);
    const del = await call("DELETE", `/v1/batch/jobs/${id}`);
    expect(del).toMatchObject({ status: 202, body: { job_id: id, status: "DELETED" } });
    const job = (await call("GET", `/v1/batch/jobs/${id}`)).body;
    expect(job).toMatchObject({
      status: "DELETED",
      deleted_at: new Date(clock).toISOString(),
      updated_at: new Date(clock).toISOString(),
    });
    expect((await call("GET", `/v1/batch/jobs/${id}/files`)).body).toEqual({ job_id: id, inputs: [], outputs: [] });
    for (const f of [...files.inputs, ...files.outputs])
      expect((await fetch(new Request(f.download_url))).status).toBe(404);
    expect((await call("DELETE", `/v1/batch/jobs/${id}`)).status).toBe(409);
    expect((await call("GET", "/v1/batch/jobs?status=DELETED")).body.meta.total).toBe(1);
    expect(existsSync(inputPath(id))).toBe(false);
    expect(existsSync(join(emu.dataDir, "outputs", id))).toBe(false);
  });

  it("signed download URLs refuse bad signatures (403), the API key (400) and expiry (403); they are built on the request origin", async () => {
    let clock = 1_700_000_000_000;
    const { call, upload, fetch, waitFor } = setup({ now: () => clock });
    const id = (await upload(wav)).body.job_id;
    await waitFor(id, ["DONE"]);
    const files = (await call("GET", `http://other.host:9999/v1/batch/jobs/${id}/files`)).body;
    const url: string = files.outputs[1].download_url;
    expect(url.startsWith("http://other.host:9999/storage/outputs/")).toBe(true);
    expect((await fetch(new Request(url))).status).toBe(200);
    const withKey = await fetch(new Request(url, { headers: { authorization: `Bearer ${DEFAULT_API_KEY}` } }));
    expect(withKey.status).toBe(400);
    expect((await fetch(new Request(tamper(url)))).status).toBe(403);
    expect((await fetch(new Request(url.split("?")[0] as string))).status).toBe(403);
    expect((await fetch(new Request(url.replace("transcript.txt", "transcript.srt")))).status).toBe(403);
    expect((await fetch(new Request("http://emulator.test/storage/../../etc/passwd?X-Amz-Signature=x"))).status).toBe(
      404,
    );
    clock += 3601 * 1000;
    expect((await fetch(new Request(url))).status).toBe(403);
  });
});

describe("fault injection", () => {
  it("forces faults by header on any request", async () => {
    const { call } = setup();
    const r500 = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "500" } });
    expect(r500).toMatchObject({ status: 500, body: { error: "Internal server error" } });
    const r429 = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "429" } });
    expect(r429.status).toBe(429);
    expect(r429.res.headers.get("retry-after")).toBe("1");
    const r503 = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "503" } });
    expect(r503.status).toBe(503);
    expect(r503.res.headers.get("retry-after")).toBe("1");
    const started = Date.now();
    const slow = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "latency:120" } });
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await expect(call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "drop" } })).rejects.toThrow(
      TypeError,
    );
    const bad = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "explode" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/must be one of 500, 503, 429, drop, lost, latency:<ms>/);
  });

  it("in-process fetch honours the request's AbortSignal (e.g. during injected latency)", async () => {
    const { emu } = setup();
    // Ten minutes of latency: settling at all (within the test's timeout) shows the abort cut it short.
    emu.forceFault("latency", { latencyMs: 600_000 });
    const controller = new AbortController();
    const pending = emu.fetch(
      new Request("http://emulator.test/v1/batch/jobs", {
        headers: { authorization: `Bearer ${DEFAULT_API_KEY}` },
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(
      emu.fetch(new Request("http://emulator.test/v1/batch/jobs", { signal: AbortSignal.abort() })),
    ).rejects.toThrow();
    const viaUrl = await contractFetch((r) => emu.fetch(r.url, { headers: r.headers }))(
      new Request("http://emulator.test/v1/batch/jobs", { headers: { authorization: `Bearer ${DEFAULT_API_KEY}` } }),
    );
    expect(viaUrl.status).toBe(200);
  });

  it("forceFault hits the next matching requests only", async () => {
    const { emu, call, upload } = setup();
    emu.forceFault("503", { count: 2, match: /\/jobs$/ });
    expect((await call("GET", "/v1/batch/jobs/abc")).status).toBe(404);
    expect((await upload(wav)).status).toBe(503);
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(503);
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(200);
    emu.forceFault("drop");
    await expect(call("GET", "/v1/batch/jobs/abc")).rejects.toThrow(/fetch failed/);
    expect((await call("GET", "/v1/batch/jobs/abc")).status).toBe(404);
    emu.forceFault("500", { match: "/storage/" });
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(200);
    expect(() => emu.forceFault("boom" as never)).toThrow(RangeError);
  });

  it("injects a seeded, reproducible sequence at the configured rate", async () => {
    const run = async () => {
      const { call } = setup({ faults: { rate: 0.5, seed: 42, kinds: ["500", "429", "503"], retryAfterSeconds: 3 } });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await call("GET", "/v1/batch/jobs")).status);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const faults = a.filter((s) => s !== 200).length;
    expect(faults).toBeGreaterThan(8);
    expect(faults).toBeLessThan(32);
    expect(new Set(a)).toEqual(new Set([200, 500, 429, 503]));
    expect(() => setup({ faults: { rate: 2 } })).toThrow(RangeError);
  });
});

describe("bad input never yields a 500", () => {
  it("answers a barrage of malformed requests with 4xx envelopes", async () => {
    const { call, upload, waitFor } = setup();
    const rand = (n: number, seed: number) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % 256);
    const requests: [string, string, Parameters<TestApi["call"]>[2]][] = [
      [
        "POST",
        "/v1/batch/jobs",
        { body: rand(500, 1) as BlobPart as BodyInit, headers: { "content-type": "application/json" } },
      ],
      [
        "POST",
        "/v1/batch/jobs",
        { body: rand(500, 2) as BlobPart as BodyInit, headers: { "content-type": "multipart/form-data; boundary=a" } },
      ],
      ["POST", "/v1/batch/jobs", { body: "", headers: { "content-type": "application/json" } }],
      ["POST", "/v1/batch/jobs", { headers: { "content-type": "multipart/form-data; boundary=" } }],
      ["POST", "/v1/batch/jobs", { json: "just a string" }],
      ["POST", "/v1/batch/jobs", { json: null }],
      ["POST", "/v1/batch/jobs", { json: { input_url: 42, transcription_config: {} } }],
      ["POST", "/v1/batch/jobs", { json: { input_url: "https://x.test/a.wav", transcription_config: "en" } }],
      ["POST", "/v1/batch/jobs", { json: { input_url: "https://x.test/a.wav", transcription_config: {}, job_id: 12 } }],
      [
        "POST",
        "/v1/batch/jobs",
        { json: { input_url: "https://x.test/a.wav", transcription_config: {}, job_id: "x".repeat(500) } },
      ],
      ["POST", "/v1/batch/jobs", { json: { mode: "presign", filename: 5, transcription_config: {} } }],
      [
        "POST",
        "/v1/batch/jobs",
        { json: { mode: "presign", filename: "a.wav", transcription_config: {}, content_type: {} } },
      ],
      ["POST", "/v1/batch/jobs", { json: { s3_key: ["a"], transcription_config: {} } }],
      ["POST", "/v1/batch/jobs", { json: { s3_key: "../../etc/passwd", transcription_config: {} } }],
      ["POST", "/v1/batch/jobs", { json: { __proto__: { polluted: true }, input_url: "https://x.test/a.wav" } }],
      [
        "POST",
        "/v1/batch/jobs",
        { json: { input_url: "https://x.test/a.wav", transcription_config: { additional_vocab: "x" } } },
      ],
      [
        "POST",
        "/v1/batch/jobs",
        { json: { input_url: "https://x.test/a.wav", transcription_config: {}, tracking: { details: [] } } },
      ],
      [
        "POST",
        "/v1/batch/jobs",
        {
          json: {
            input_url: "https://x.test/a.wav",
            transcription_config: {},
            output_config: { srt_overrides: { max_line_length: "3" } },
          },
        },
      ],
      ["GET", "/v1/batch/jobs?page=1e3", {}],
      ["GET", "/v1/batch/jobs?page=99999999999999999999", {}],
      ["GET", "/v1/batch/jobs?status=DONE&status=FAILED&sort_by=", {}],
      ["GET", "/v1/batch/jobs?submitted_after=%00", {}],
      ["GET", "/v1/batch/jobs/%ZZ", {}],
      ["GET", `/v1/batch/jobs/${"a".repeat(300)}`, {}],
      ["DELETE", "/v1/batch/jobs/%F0%9F%98%80", {}],
      ["PUT", "/storage/inputs/abc.wav", { key: null }],
      ["PUT", "/storage/%ZZ?X-Amz-Signature=1", { key: null }],
      ["GET", "/storage/outputs/abc/transcript.json?X-Amz-Date=bad&X-Amz-Expires=x&X-Amz-Signature=1", { key: null }],
      [
        "GET",
        "/storage/inputs/abc.wav?X-Amz-Date=20260101T000000Z&X-Amz-Expires=99999999999&X-Amz-Signature=1",
        { key: null },
      ],
      ["PATCH", "/v1/batch/jobs", {}],
      ["GET", "/", { key: null }],
    ];
    // Issue 10: deep JSON, a swapped input, tampered signing parameters.
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
    const json = { "content-type": "application/json" };
    for (const field of ["transcription_config", "tracking", "metadata", "output_config"]) {
      const body = `{"input_url":"https://x.test/a.wav","transcription_config":{},"${field}":${deep(5000)}}`;
      requests.push(["POST", "/v1/batch/jobs", { body, headers: json }]);
      const form = new FormData();
      form.set("transcription_config", field === "transcription_config" ? deep(5000) : "{}");
      form.set(field, deep(6000));
      form.set("file", new Blob([wav as BlobPart]), "a.wav");
      requests.push(["POST", "/v1/batch/jobs", { body: form }]);
    }
    requests.push(["POST", "/v1/batch/jobs", { body: `{"mode":${deep(100_000)}}`, headers: json }]);
    const presigned = await call("POST", "/v1/batch/jobs", {
      json: { mode: "presign", filename: "a.wav", transcription_config: {}, job_id: "swapped1" },
    });
    expect((await upload(wav, { transcription_config: CONFIG, job_id: "swapped1" })).status).toBe(202);
    const put = {
      key: null,
      body: wav as BlobPart as BodyInit,
      headers: { "content-type": "application/octet-stream" },
    };
    requests.push(["PUT", presigned.body.upload.url, put]);
    const signed = new URL(presigned.body.upload.url);
    for (const [name, value] of [
      ["X-Amz-Algorithm", "NONE"],
      ["X-Amz-Algorithm", ""],
      ["X-Amz-SignedHeaders", "host"],
      ["X-Amz-Expires", "99999"],
    ] as const) {
      const u = new URL(signed);
      u.searchParams.set(name, value);
      requests.push(["PUT", u.toString(), put], ["PUT", `${signed}&${name}=${value}`, put]);
    }
    for (const [method, path, opts] of requests) {
      const r = await call(method, path, opts);
      expect(r.status, `${method} ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path.slice(0, 80)}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
      expect(typeof r.body.error).toBe("string");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(200);
    expect((await call("GET", "/v1/batch/jobs/swapped1")).body.input_metadata.size_bytes).toBe(wav.length);
    const headerOnly = await upload(wav.subarray(0, 44));
    expect(headerOnly.status).toBe(202);
    expect((await waitFor(headerOnly.body.job_id, ["DONE", "FAILED"])).status).toBe("FAILED");
  });
});

describe("createSampleWav", () => {
  it("makes a deterministic PCM WAV with the asked length, rate and channels", async () => {
    const a = createSampleWav({ seconds: 1.5, sampleRate: 8000, channels: 2, seed: 7 });
    expect(a).toEqual(createSampleWav({ seconds: 1.5, sampleRate: 8000, channels: 2, seed: 7 }));
    expect(a).not.toEqual(createSampleWav({ seconds: 1.5, sampleRate: 8000, channels: 2, seed: 8 }));
    expect(a.length).toBe(44 + 1.5 * 8000 * 2 * 2);
    expect(new TextDecoder().decode(a.subarray(0, 4))).toBe("RIFF");
    expect(createSampleWav().length).toBe(44 + 3 * 16000 * 2);
    expect(() => createSampleWav({ seconds: -1 })).toThrow(RangeError);
  });
});

describe("close", () => {
  it("removes its temp data dir and is idempotent; a given dataDir is kept", async () => {
    const { emu, upload, call } = testApi();
    await upload(wav);
    expect(readdirSync(join(emu.dataDir, "inputs"))).toHaveLength(1);
    await emu.close();
    await emu.close();
    expect(existsSync(emu.dataDir)).toBe(false);
    expect((await call("GET", "/v1/batch/jobs")).status).toBe(503);
    const own = mkdtempSync(join(tmpdir(), "emu-test-"));
    const kept = testApi({ dataDir: own });
    await kept.upload(wav);
    await kept.emu.close();
    expect(readdirSync(join(own, "inputs"))).toHaveLength(1);
    rmSync(own, { recursive: true, force: true });
  });
});

afterAll(() => {
  const expected = [
    "POST /v1/batch/jobs 200",
    "POST /v1/batch/jobs 202",
    "POST /v1/batch/jobs 400",
    "POST /v1/batch/jobs 403",
    "POST /v1/batch/jobs 413",
    "GET /v1/batch/jobs 200",
    "GET /v1/batch/jobs 400",
    "GET /v1/batch/jobs 403",
    "GET /v1/batch/jobs 429",
    "GET /v1/batch/jobs 503",
    "GET /v1/batch/jobs/{id} 200",
    "GET /v1/batch/jobs/{id} 400",
    "GET /v1/batch/jobs/{id} 404",
    "DELETE /v1/batch/jobs/{id} 202",
    "DELETE /v1/batch/jobs/{id} 400",
    "DELETE /v1/batch/jobs/{id} 404",
    "DELETE /v1/batch/jobs/{id} 409",
    "GET /v1/batch/jobs/{id}/files 200",
    "GET /v1/batch/jobs/{id}/files 400",
    "GET /v1/batch/jobs/{id}/files 404",
  ];
  const missing = expected.filter((e) => !seen.has(e));
  expect(missing).toEqual([]);
});
