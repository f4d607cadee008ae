import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import {
  createJob,
  createSlngApi,
  createSlngClient,
  createSlngCore,
  downloadTranscript,
  type SlngMiddleware,
  waitForJob,
} from "./node.js";
import { BASE, emulator, isStorage, KEY, recording, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

/** A middleware that records `target method path#attempt` per hook, and tries to leak the key. */
function tracer(seen: string[]): SlngMiddleware {
  const tag = (target: string, r: Request, attempt: number) =>
    `${target} ${r.method} ${new URL(r.url).pathname.replace(/\/[a-z0-9]{20,}/g, "/:id")}#${attempt}`;
  return {
    onRequest({ request, target, attempt }) {
      seen.push(`req ${tag(target, request, attempt)}`);
      expect(request.headers.get("authorization")).toBeNull();
      request.headers.set("x-trace-id", "t-1");
      request.headers.set("authorization", `Bearer ${KEY}`);
    },
    onResponse({ request, target, attempt, response }) {
      seen.push(`res ${tag(target, request, attempt)} ${response.status}`);
    },
    onError({ request, target, attempt }) {
      seen.push(`err ${tag(target, request, attempt)}`);
    },
  };
}

describe("one middleware chain for every HTTP exchange", () => {
  it("sees multipart, URL and presigned creates, the PUT, gets and downloads; storage never gets the key", async () => {
    const emu = emulator();
    open.push(emu);
    const { fetch, requests } = recording(emu);
    const seen: string[] = [];
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch, middleware: [tracer(seen)] });
    const a = await createJob(core, { file: wav, filename: "a.wav", jobId: "multi1" });
    const audio = createServer((_, res) => res.end(wav)).listen(0, "127.0.0.1");
    await new Promise((r) => audio.once("listening", r));
    const port = (audio.address() as AddressInfo).port;
    await createJob(core, { url: `http://127.0.0.1:${port}/audio.wav`, jobId: "url1" }).finally(() => audio.close());
    await createJob(core, { file: wav, filename: "b.wav", upload: "presign", jobId: "pre1" });
    await waitForJob(core, a.job_id, { minIntervalMs: 5 });
    await downloadTranscript(core, a.job_id, "txt");
    const requestsSeen = seen.filter((s) => s.startsWith("req "));
    expect(requestsSeen.slice(0, 5)).toEqual([
      "req api POST /v1/batch/jobs#0",
      "req api POST /v1/batch/jobs#0",
      "req api POST /v1/batch/jobs#0",
      "req storage PUT /storage/inputs/pre1.wav#0",
      "req api POST /v1/batch/jobs#0",
    ]);
    expect(requestsSeen).toContain("req api GET /v1/batch/jobs/multi1#0");
    expect(requestsSeen).toContain("req api GET /v1/batch/jobs/multi1/files#0");
    expect(requestsSeen.at(-1)).toMatch(/^req storage GET \/storage\/outputs\/multi1\/.*\.txt#0$/);
    expect(seen.filter((s) => s.startsWith("res ")).length).toBe(requestsSeen.length);
    expect(requests.length).toBe(requestsSeen.length);
    for (const r of requests) {
      expect(r.headers.get("x-trace-id")).toBe("t-1");
      expect(r.headers.get("authorization")).toBe(isStorage(r) ? null : `Bearer ${KEY}`);
    }
  });

  it("runs once per attempt, retries included, with onError for failed attempts; slng.use adds one later", async () => {
    let n = 0;
    const fetch = async () => {
      n++;
      if (n === 1) throw new TypeError("fetch failed");
      if (n === 2) return new Response('{"error":"busy"}', { status: 503 });
      return new Response('{"job_id":"abc","status":"QUEUED"}', { status: 200 });
    };
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 2 });
    const seen: string[] = [];
    slng.use(tracer(seen));
    await slng.jobs.get("abc", { maxRetries: 2 });
    expect(seen).toEqual([
      "req api GET /v1/batch/jobs/abc#0",
      "err api GET /v1/batch/jobs/abc#0",
      "req api GET /v1/batch/jobs/abc#1",
      "res api GET /v1/batch/jobs/abc#1 503",
      "req api GET /v1/batch/jobs/abc#2",
      "res api GET /v1/batch/jobs/abc#2 200",
    ]);
  }, 120_000);

  it("createSlngApi's raw openapi-fetch client goes through the same chain, key and retries", async () => {
    const emu = emulator();
    open.push(emu);
    const { fetch, requests } = recording(emu);
    const seen: string[] = [];
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, middleware: [tracer(seen)] });
    const api = createSlngApi(slng.core);
    const { data, response } = await api.GET("/v1/batch/jobs", { params: { query: { page_size: 1 } } });
    expect(response.status).toBe(200);
    expect(data?.items).toEqual([]);
    expect(seen).toEqual(["req api GET /v1/batch/jobs#0", "res api GET /v1/batch/jobs#0 200"]);
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${KEY}`);
  });

  it("onResponse may replace the response", async () => {
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async () => new Response('{"job_id":"abc","status":"QUEUED"}'),
      middleware: [{ onResponse: () => new Response('{"job_id":"abc","status":"DONE"}') }],
    });
    expect((await slng.jobs.get("abc")).status).toBe("DONE");
  });
});
