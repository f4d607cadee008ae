import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateResponse } from "@slng/contract";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import type { BatchJob } from "@slng/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createSlngClient,
  JobFailedError,
  type RetryInfo,
  SlngApiError,
  SlngValidationError,
  type UploadProgress,
  WaitTimeoutError,
} from "./node.js";

const KEY = "sk_live_integrationKEY0123456789";
const BASE = "http://emulator.test";
const dir = mkdtempSync(join(tmpdir(), "slng-client-test-"));
const wav = createSampleWav({ seconds: 3 }) as Uint8Array<ArrayBuffer>;
const wavPath = join(dir, "sample.wav");
writeFileSync(wavPath, wav);

const emulators: Emulator[] = [];
function emulator(opts: Parameters<typeof createEmulator>[0] = {}) {
  const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0, ...opts });
  emulators.push(emu);
  return emu;
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fetch over the in-process emulator that checks every API response against the spec. */
function contractFetch(emu: Emulator, seen: Request[] = []) {
  return async (req: Request) => {
    seen.push(req.clone());
    const res = await emu.fetch(req);
    const { pathname } = new URL(req.url);
    if (pathname.startsWith("/v1/") && !res.headers.get("x-slng-emulator-fault-injected")) {
      const type = res.headers.get("content-type") ?? "";
      const text = await res.clone().text();
      const body = type.includes("json") && text ? JSON.parse(text) : text;
      const check = validateResponse(req.method, pathname, res.status, body, type || "application/json");
      if (!check.ok) throw new Error(`${req.method} ${pathname} ${res.status}: ${check.errors.join("; ")}`);
    }
    return res;
  };
}

function client(emu: Emulator, extra: Parameters<typeof createSlngClient>[0] = {}) {
  return createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: contractFetch(emu), ...extra });
}

describe("jobs against the in-process emulator", () => {
  it("creates (multipart), waits, lists files, downloads every format and deletes", async () => {
    const emu = emulator();
    const slng = client(emu);
    const ack = await slng.jobs.create({
      file: wav,
      filename: "hello.wav",
      config: { language: "en" },
      metadata: { a: 1 },
    });
    expect(ack.status).toBe("QUEUED");
    expect(ack.job_id).toMatch(/^[a-zA-Z0-9]{24}$/);
    const job = await slng.jobs.wait(ack.job_id, { minIntervalMs: 5 });
    expect(job.status).toBe("DONE");
    expect(job.input_metadata?.source).toBe("upload");
    const files = await slng.jobs.files(ack.job_id);
    expect(files.outputs.map((o) => o.format).sort()).toEqual(["json", "srt", "txt"]);
    const txt = await slng.jobs.download(ack.job_id, "txt");
    expect(typeof txt).toBe("string");
    expect(txt.length).toBeGreaterThan(0);
    expect(await slng.jobs.download(ack.job_id, "srt")).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
    const json = await slng.jobs.download(ack.job_id, "json");
    expect(json.results.length).toBeGreaterThan(0);
    expect((await slng.jobs.get(ack.job_id)).job_id).toBe(ack.job_id);
    expect(await slng.jobs.delete(ack.job_id)).toEqual({ job_id: ack.job_id, status: "DELETED" });
    expect((await slng.jobs.get(ack.job_id)).status).toBe("DELETED");
  });

  it("accepts a chosen job id, Blob, ArrayBuffer, one-shot stream and a Node path, in multipart and presign modes", async () => {
    const emu = emulator();
    const slng = client(emu);
    const inputs = [
      { file: new Blob([wav], { type: "audio/wav" }), filename: "blob.wav" },
      { file: new File([wav], "file.wav") },
      { file: wav.buffer.slice(0) as ArrayBuffer, filename: "ab.wav" },
      { file: { stream: new Blob([wav]).stream(), size: wav.byteLength, filename: "s.wav" } },
      { file: wavPath },
    ];
    let i = 0;
    for (const upload of ["multipart", "presign"] as const)
      for (const input of inputs) {
        const jobId = `chosen${upload}${i++}`;
        const progress: UploadProgress[] = [];
        const fresh =
          typeof input.file === "object" && "stream" in input.file
            ? { file: { stream: new Blob([wav]).stream(), size: wav.byteLength, filename: "s.wav" } }
            : input;
        const ack = await slng.jobs.create({ ...fresh, jobId, upload, onUploadProgress: (p) => progress.push(p) });
        expect(ack.job_id).toBe(jobId);
        const job = await slng.jobs.wait(jobId, { minIntervalMs: 5 });
        expect(job.status, `${upload} ${jobId}`).toBe("DONE");
        expect(job.input_metadata?.source).toBe(upload === "presign" ? "presign" : "upload");
        expect(job.input_metadata?.size_bytes).toBe(wav.byteLength);
        const last = progress.at(-1);
        expect(last?.phase).toBe("create");
        expect(last?.loaded).toBe(last?.total);
        if (upload === "presign") expect(progress[0]?.phase).toBe("presign");
      }
  });

  it("auto picks multipart below the threshold and presign above it", async () => {
    const emu = emulator();
    const seen: Request[] = [];
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: contractFetch(emu, seen),
      presignThresholdBytes: wav.byteLength - 1,
    });
    await slng.jobs.create({ file: wavPath });
    expect(seen.some((r) => r.method === "PUT" && r.url.includes("/storage/"))).toBe(true);
    seen.length = 0;
    const small = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: contractFetch(emu, seen) });
    await small.jobs.create({ file: wavPath });
    expect(seen.map((r) => r.method)).toEqual(["POST"]);
    expect(seen[0]?.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("creates from a URL (served on loopback)", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "audio/wav", "content-length": String(wav.byteLength) });
      res.end(wav);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const emu = emulator();
      const slng = client(emu);
      const { port } = server.address() as AddressInfo;
      const ack = await slng.jobs.create({ url: `http://127.0.0.1:${port}/talk.wav`, config: { language: "en" } });
      const job = await slng.jobs.wait(ack.job_id, { minIntervalMs: 5 });
      expect(job.status).toBe("DONE");
      expect(job.input_metadata?.source).toBe("url");
    } finally {
      server.close();
    }
  });

  it("lists 250 jobs page by page with filters, and one page with listPage", async () => {
    const emu = emulator();
    const slng = client(emu);
    const tiny = createSampleWav({ seconds: 0.2 });
    const ids = new Set<string>();
    for (let batch = 0; batch < 25; batch++) {
      const acks = await Promise.all(
        Array.from({ length: 10 }, () => slng.jobs.create({ file: tiny, filename: "t.wav" })),
      );
      for (const a of acks) ids.add(a.job_id);
    }
    const listed: string[] = [];
    const pages: number[] = [];
    const list = slng.jobs.list({ pageSize: 100, sortOrder: "asc" });
    for await (const page of list.pages()) pages.push(page.items.length);
    for await (const job of slng.jobs.list({ pageSize: 100 })) listed.push(job.job_id);
    expect(pages).toEqual([100, 100, 50]);
    expect(listed).toHaveLength(250);
    expect(new Set(listed)).toEqual(ids);
    const page = await slng.jobs.listPage({
      page: 3,
      pageSize: 100,
      status: ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"],
    });
    expect(page.meta).toEqual({ page: 3, page_size: 100, total: 250, pages: 3 });
    const failed = await slng.jobs.listPage({ status: ["FAILED"] });
    expect(failed.meta.total).toBe(0);
  });
});

describe("wait and watch", () => {
  it("watch yields the first snapshot at once, then each status change, in order", async () => {
    // The emulator's clock moves only when the watch has polled: every stage (1 s at least) is
    // seen whatever the machine's speed, and the first answer is the job as created.
    let clock = Date.now();
    const emu = emulator({ minStageMs: 1000, now: () => clock });
    const slng = client(emu);
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    const statuses: string[] = [];
    let polls = 0;
    const onPoll = () => {
      polls++;
      clock += 250;
    };
    for await (const job of slng.jobs.watch(job_id, { minIntervalMs: 1, maxIntervalMs: 5, onPoll }))
      statuses.push(job.status);
    expect(statuses).toEqual(["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"]);
    expect(statuses[0]).toBe("QUEUED");
    expect(statuses.at(-1)).toBe("DONE");
    const order = ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"];
    expect(statuses.map((s) => order.indexOf(s))).toEqual([...statuses.map((s) => order.indexOf(s))].sort());
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(polls).toBeGreaterThanOrEqual(statuses.length);
  });

  it("wait throws JobFailedError with the job on FAILED; watch ends with the FAILED job", async () => {
    const emu = emulator();
    const slng = client(emu);
    const { job_id } = await slng.jobs.create({
      file: wav,
      filename: "a.wav",
      metadata: { emulator: { fail: "The audio could not be decoded." } },
    });
    const err = await slng.jobs.wait(job_id, { minIntervalMs: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.message).toBe("The audio could not be decoded.");
    expect(err.job.status).toBe("FAILED");
    expect(err.jobId).toBe(job_id);
    const seen: BatchJob[] = [];
    for await (const j of slng.jobs.watch(job_id)) seen.push(j);
    expect(seen.map((j) => j.status)).toEqual(["FAILED"]);
    const t = await slng
      .transcribe({ file: wav, filename: "b.wav", metadata: { emulator: { fail: "bad" } } }, { minIntervalMs: 5 })
      .catch((e) => e);
    expect(t).toBeInstanceOf(JobFailedError);
  });

  it("transcribe returns the job and the transcript in the chosen format", async () => {
    const emu = emulator();
    const slng = client(emu);
    const { job, transcript } = await slng.transcribe(
      { file: wav, filename: "a.wav" },
      { format: "json", minIntervalMs: 5 },
    );
    expect(job.status).toBe("DONE");
    expect(transcript.format).toBeTypeOf("string");
    const txt = await slng.transcribe({ file: wavPath }, { minIntervalMs: 5 });
    expect(txt.transcript).toBeTypeOf("string");
  });

  it("times out with WaitTimeoutError carrying the job id and last job; the last poll lands just before the deadline", async () => {
    const emu = emulator({ rtf: 100 });
    const slng = client(emu);
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    const started = Date.now();
    const err = await slng.jobs
      .wait(job_id, { timeoutMs: 300, minIntervalMs: 100, maxIntervalMs: 1000 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.jobId).toBe(job_id);
    expect(err.lastJob?.job_id).toBe(job_id);
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300 - 60);
  });

  it("abort rejects without waiting out the sleep or the hanging poll", async () => {
    const emu = emulator({ rtf: 100 });
    const slng = client(emu);
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    const ctl = new AbortController();
    // The sleep it cuts short is ten minutes: settling at all (within the test's timeout) is the proof.
    const p = slng.jobs.wait(job_id, { signal: ctl.signal, minIntervalMs: 600_000, maxIntervalMs: 600_000 });
    await new Promise((r) => setTimeout(r, 50));
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: "AbortError" });

    const hanging = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: () => new Promise<Response>(() => {}) });
    const ctl2 = new AbortController();
    const p2 = hanging.jobs.wait(job_id, { signal: ctl2.signal });
    setTimeout(() => ctl2.abort(), 20);
    await expect(p2).rejects.toMatchObject({ name: "AbortError" });
    const ctl3 = new AbortController();
    ctl3.abort();
    await expect(slng.jobs.get(job_id, { signal: ctl3.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("ends at once on 404 and 403, and rides out transient errors", async () => {
    const emu = emulator();
    let requests = 0;
    const counted = (r: Request) => {
      requests++;
      return emu.fetch(r);
    };
    const slng = client(emu);
    const nf = await client(emu, { fetch: counted })
      .jobs.wait("doesnotexist")
      .catch((e) => e);
    expect(nf).toBeInstanceOf(SlngApiError);
    expect(nf.status).toBe(404);
    expect(nf.code).toBe("not_found");
    expect(requests).toBe(1);
    const bad = createSlngClient({ apiKey: "wrongkey", baseUrl: BASE, fetch: counted });
    const forbidden = await bad.jobs.wait("abc").catch((e) => e);
    expect(forbidden).toMatchObject({ status: 403, code: "forbidden", retryable: false });
    expect(requests).toBe(2);

    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    emu.forceFault("503", { count: 3, match: job_id });
    emu.forceFault("drop", { count: 2, match: job_id });
    const done = await slng.jobs.wait(job_id, { minIntervalMs: 5, maxIntervalMs: 20 });
    expect(done.status).toBe("DONE");
  });
});

describe("errors, retries and validation", () => {
  it("validates before sending any request", async () => {
    let calls = 0;
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async () => {
        calls++;
        return new Response();
      },
    });
    const bad: Array<() => Promise<unknown>> = [
      () => slng.jobs.get("bad-id"),
      () => slng.jobs.delete("../x"),
      () => slng.jobs.files(""),
      () => slng.jobs.download("abc", "pdf" as "txt"),
      () => slng.jobs.listPage({ pageSize: 101 }),
      () => slng.jobs.listPage({ status: ["NOPE" as "DONE"] }),
      () => slng.jobs.create({ file: wav, filename: "notes.txt" }),
      () => slng.jobs.create({ file: wav }),
      () => slng.jobs.create({ file: join(dir, "missing.wav") }),
      () => slng.jobs.create({ file: { stream: new Blob([wav]).stream(), size: 2 ** 30 + 1, filename: "big.wav" } }),
      () => slng.jobs.create({ url: "http://example.com/a.wav" }),
      () => slng.jobs.create({ file: wav, filename: "a.wav", url: "https://x.test/a.wav" }),
      () => slng.jobs.create({ file: wav, filename: "a.wav", jobId: "no_underscores" }),
      () => slng.jobs.create({ file: wav, filename: "a.wav", upload: "ftp" as "auto" }),
      () => slng.jobs.wait("abc", { minIntervalMs: -1 }),
    ];
    for (const f of bad) await expect(f()).rejects.toBeInstanceOf(SlngValidationError);
    expect(() => slng.jobs.list({ pageSize: 0 })).toThrow(SlngValidationError);
    await expect(async () => {
      for await (const _ of slng.jobs.watch("not-an-id"));
    }).rejects.toThrow(SlngValidationError);
    expect(() => createSlngClient({ apiKey: KEY, baseUrl: "http://api.batch.slng.ai" })).toThrow(/in clear/);
    expect(calls).toBe(0);
  });

  it("reads apiKey and baseUrl from SLNG_API_KEY and SLNG_BASE_URL", async () => {
    const emu = emulator();
    const old = { key: process.env.SLNG_API_KEY, base: process.env.SLNG_BASE_URL };
    try {
      process.env.SLNG_API_KEY = KEY;
      process.env.SLNG_BASE_URL = BASE;
      const slng = createSlngClient({ fetch: emu.fetch });
      expect((await slng.jobs.listPage()).meta.total).toBe(0);
      delete process.env.SLNG_API_KEY;
      expect(() => createSlngClient({ fetch: emu.fetch })).toThrow(/SLNG_API_KEY/);
    } finally {
      if (old.key === undefined) delete process.env.SLNG_API_KEY;
      else process.env.SLNG_API_KEY = old.key;
      if (old.base === undefined) delete process.env.SLNG_BASE_URL;
      else process.env.SLNG_BASE_URL = old.base;
    }
  });

  it("retries GET and DELETE through 429/500/503/drop, and exposes the typed envelope when retries run out", async () => {
    const emu = emulator({ faults: { rate: 0, retryAfterSeconds: 0 } });
    const slng = client(emu, { maxRetries: 3 });
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    await slng.jobs.wait(job_id, { minIntervalMs: 5 });
    emu.forceFault("429", { count: 1, match: job_id });
    emu.forceFault("500", { count: 1, match: job_id });
    emu.forceFault("drop", { count: 1, match: job_id });
    expect((await slng.jobs.get(job_id)).status).toBe("DONE");
    emu.forceFault("503", { count: 2, match: job_id });
    expect(await slng.jobs.delete(job_id)).toMatchObject({ status: "DELETED" });
    emu.forceFault("500", { count: 4, match: "/v1/batch/jobs" });
    const err = await slng.jobs.listPage().catch((e) => e);
    expect(err).toBeInstanceOf(SlngApiError);
    expect(err).toMatchObject({ status: 500, code: "server_error", retryable: true, message: "Internal server error" });
    expect(err.body).toEqual({ error: "Internal server error" });
  });

  it("onRetry hears the retries of GETs and of create, key-free", async () => {
    const emu = emulator({ faults: { rate: 0, retryAfterSeconds: 0 } });
    const told: RetryInfo[] = [];
    const slng = client(emu, { maxRetries: 2, onRetry: (info) => told.push(info) });
    emu.forceFault("503", { count: 1, match: "/v1/batch/jobs" });
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav", jobId: "retried1" });
    emu.forceFault("429", { count: 1, match: job_id });
    await slng.jobs.get(job_id);
    expect(told.map(({ delayMs: _, ...rest }) => rest)).toEqual([
      { attempt: 1, maxRetries: 2, request: "POST /v1/batch/jobs (job retried1)", status: 503 },
      { attempt: 1, maxRetries: 2, request: `GET ${BASE}/v1/batch/jobs/${job_id}`, status: 429 },
    ]);
    expect(JSON.stringify(told)).not.toContain(KEY);
  });

  it("409 on deleting a running job is not retried", async () => {
    const emu = emulator({ rtf: 100 });
    let deletes = 0;
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        if (r.method === "DELETE") deletes++;
        return emu.fetch(r);
      },
    });
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav" });
    const err = await slng.jobs.delete(job_id).catch((e) => e);
    expect(err).toMatchObject({ status: 409, code: "conflict", retryable: false });
    expect(deletes).toBe(1);
  });

  it("re-presigns once when the upload URL has expired, and refreshes an expired download URL from /files", async () => {
    let offset = 0;
    const emu = emulator({ now: () => Date.now() + offset });
    const urls: string[] = [];
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        urls.push(`${r.method} ${new URL(r.url).pathname}`);
        const res = await emu.fetch(r);
        const body = r.method === "POST" ? await res.clone().text() : "";
        if (body.includes('"upload"') && urls.filter((u) => u === "POST /v1/batch/jobs").length === 1)
          offset += 1801_000;
        return res;
      },
    });
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav", upload: "presign" });
    expect(urls.filter((u) => u.startsWith("PUT"))).toHaveLength(2);
    expect(urls.filter((u) => u === "POST /v1/batch/jobs")).toHaveLength(3);
    await slng.jobs.wait(job_id, { minIntervalMs: 5 });
    urls.length = 0;
    const refreshing = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        urls.push(`${r.method} ${new URL(r.url).pathname}`);
        const res = await emu.fetch(r);
        if (r.url.includes("/files") && urls.filter((u) => u.endsWith("/files")).length === 1) offset += 3601_000;
        return res;
      },
    });
    expect(await refreshing.jobs.download(job_id, "txt")).toBeTypeOf("string");
    expect(urls.filter((u) => u.endsWith("/files"))).toHaveLength(2);
  });
});

describe("exactly-once create", () => {
  it("a create whose response is lost is found by job id, not created twice", async () => {
    const emu = emulator();
    let dropped = 0;
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        const res = await emu.fetch(r);
        if (r.method === "POST" && dropped++ === 0) throw new TypeError("fetch failed");
        return res;
      },
    });
    const ack = await slng.jobs.create({ file: wav, filename: "a.wav" });
    expect(ack.job_id).toMatch(/^[a-zA-Z0-9]+$/);
    expect((await slng.jobs.listPage()).meta.total).toBe(1);
  });

  it("a retry refused as 'already in use' means the first attempt landed", async () => {
    const emu = emulator();
    let posts = 0;
    let hidden = 0;
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        if (r.method === "POST") {
          const res = await emu.fetch(r);
          if (posts++ === 0) return Response.json({ error: "Internal server error" }, { status: 500 });
          return res;
        }
        // The first lookup does not see the job yet (as behind a replica lag).
        if (r.method === "GET" && hidden++ === 0) return Response.json({ error: "Job not found" }, { status: 404 });
        return emu.fetch(r);
      },
    });
    const ok = await slng.jobs.create({ file: wav, filename: "a.wav", jobId: "mine2" });
    expect(ok).toEqual({ job_id: "mine2", status: expect.any(String) });
    expect(posts).toBe(2);
    expect((await slng.jobs.listPage({ pageSize: 100 })).items.filter((j) => j.job_id === "mine2")).toHaveLength(1);
  });

  it("never retries a one-shot stream after an ambiguous failure that did not land", async () => {
    const emu = emulator();
    let posts = 0;
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        if (r.method === "POST") {
          posts++;
          await r.arrayBuffer();
          throw new TypeError("fetch failed");
        }
        return emu.fetch(r);
      },
    });
    const err = await slng.jobs
      .create({ file: { stream: new Blob([wav]).stream(), size: wav.byteLength, filename: "s.wav" } })
      .catch((e) => e);
    expect(err.name).toBe("SlngNetworkError");
    expect(err.jobId).toMatch(/^[a-zA-Z0-9]+$/);
    expect(posts).toBe(1);
    const replayable = await slng.jobs.create({ file: wav, filename: "a.wav" }).catch((e) => e);
    expect(replayable.name).toBe("SlngNetworkError");
    expect(posts).toBe(1 + 4);
  });
});

describe("over HTTP (emulator.listen, node:http uploads)", () => {
  let emu: Emulator;
  let url: string;
  beforeAll(async () => {
    emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
    url = (await emu.listen()).url;
  });
  afterAll(() => emu.close());

  it("streams a file path (multipart and presign) with progress as bytes sent", async () => {
    const big = join(dir, "big.wav");
    writeFileSync(big, createSampleWav({ seconds: 60 }));
    const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
    for (const upload of ["multipart", "presign"] as const) {
      const progress: UploadProgress[] = [];
      const { job_id } = await slng.jobs.create({ file: big, upload, onUploadProgress: (p) => progress.push(p) });
      const uploads = progress.filter((p) => p.phase === "upload");
      expect(uploads.length).toBeGreaterThan(3);
      for (let i = 1; i < uploads.length; i++)
        expect(uploads[i]?.loaded).toBeGreaterThanOrEqual(uploads[i - 1]?.loaded ?? 0);
      expect(progress.at(-1)).toMatchObject({ phase: "create" });
      const done = await slng.jobs.wait(job_id, { minIntervalMs: 20 });
      expect(done.input_metadata?.source).toBe(upload === "presign" ? "presign" : "upload");
      expect(await slng.jobs.download(job_id, "srt")).toContain("-->");
    }
  });

  it("every method works over HTTP with the global fetch, and a dropped connection is retried", async () => {
    const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
    const r = await slng.transcribe({ file: wav, filename: "x.wav" }, { minIntervalMs: 10 });
    expect(r.transcript.length).toBeGreaterThan(0);
    emu.forceFault("drop", { count: 1, match: r.job.job_id });
    expect((await slng.jobs.get(r.job.job_id)).status).toBe("DONE");
    expect((await slng.jobs.files(r.job.job_id)).inputs).toHaveLength(1);
    expect((await slng.jobs.listPage({ pageSize: 1 })).items).toHaveLength(1);
    expect((await slng.jobs.delete(r.job.job_id)).status).toBe("DELETED");
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const refused = createSlngClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const err = await refused.jobs.get("abc").catch((e) => e);
    expect(err).toMatchObject({ name: "SlngNetworkError", retryable: true });
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
