import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConnectionEvent, UploadProgress } from "./api.js";
import { createJobsApi } from "./client-adapter.js";

describe("createJobsApi", () => {
  it("reports the failure, then when the client will retry, then the recovery", async () => {
    const events: ConnectionEvent[] = [];
    let calls = 0;
    const jobs = createJobsApi({
      apiKey: "adapterKey",
      baseUrl: "http://api.test",
      fetch: async () => {
        calls++;
        return calls === 1
          ? new Response('{"error":"busy"}', { status: 503, statusText: "Service Unavailable" })
          : Response.json({ job_id: "abc", status: "DONE" });
      },
      onConnection: (e) => events.push(e),
    });
    expect(await jobs.get("abc")).toMatchObject({ job_id: "abc", status: "DONE" });
    expect(calls).toBe(2);
    expect(events.map(({ at: _, retryInMs, ...e }) => ({ ...e, retry: retryInMs !== undefined }))).toEqual([
      { ok: false, detail: "503 Service Unavailable", retry: false },
      { ok: false, retry: true },
      { ok: true, retry: false },
    ]);
    const retryInMs = events[1]?.retryInMs ?? -1;
    // Full-jitter backoff before the first retry: between 0 and 500 ms.
    expect(retryInMs).toBeGreaterThanOrEqual(0);
    expect(retryInMs).toBeLessThan(500);
  });

  it("names a network failure by its cause, not fetch's bare 'fetch failed'", async () => {
    const events: ConnectionEvent[] = [];
    const { createMonitoredFetch } = await import("./client-adapter.js");
    const failing = createMonitoredFetch(
      (e) => events.push(e),
      async () => {
        throw new TypeError("fetch failed", { cause: new Error("bad port") });
      },
    );
    await expect(failing("http://127.0.0.1:9/")).rejects.toThrow("fetch failed");
    expect(events[0]).toMatchObject({ ok: false, detail: "bad port" });
  });
});

describe("createJobsApi uploads", () => {
  let emulator: Emulator;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    emulator = createEmulator({ rtf: 0, minStageMs: 0 });
    ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
    dir = await mkdtemp(join(tmpdir(), "slng-adapter-"));
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("streams a file upload through node:http, not through the (monitored) fetch", async () => {
    const seen: string[] = [];
    const realFetch = globalThis.fetch;
    vi.stubGlobal("fetch", (input: Request | string | URL, init?: RequestInit) => {
      const r = input instanceof Request ? input : new Request(input, init);
      seen.push(`${r.method} ${new URL(r.url).pathname}`);
      return realFetch(input, init);
    });
    try {
      const path = join(dir, "stream.wav");
      await writeFile(path, createSampleWav({ seconds: 2 }));
      const events: ConnectionEvent[] = [];
      const jobs = createJobsApi({ apiKey: DEFAULT_API_KEY, baseUrl: url, onConnection: (e) => events.push(e) });
      const ack = await jobs.create({ file: path, filename: "stream.wav", config: { language: "en" } });
      expect(ack.status).toBe("QUEUED");
      expect(seen.filter((s) => s.startsWith("POST"))).toEqual([]);
      expect((await jobs.get(ack.job_id)).job_id).toBe(ack.job_id);
      expect(seen).toContain(`GET /v1/batch/jobs/${ack.job_id}`);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("reports progress in bytes of the file, not of the multipart body", async () => {
    const path = join(dir, "tiny.wav");
    const bytes = createSampleWav({ seconds: 1 }).subarray(0, 23);
    await writeFile(path, bytes);
    const progress: UploadProgress[] = [];
    const jobs = createJobsApi({ apiKey: DEFAULT_API_KEY, baseUrl: url });
    await jobs
      .create({
        file: path,
        filename: "tiny.wav",
        config: { language: "en" },
        onUploadProgress: (p) => progress.push(p),
      })
      .catch(() => undefined); // a 23-byte WAV may be refused once sent; the progress is what counts
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.total).toBe(23);
      expect(p.loaded).toBeLessThanOrEqual(23);
    }
    expect(progress.at(-1)?.loaded).toBe(23);
  });
});
