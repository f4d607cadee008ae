import { getEventListeners } from "node:events";
import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createJob, createSlngClient, createSlngCore, getJob, SlngTimeoutError } from "./node.js";
import { BASE, emulator, isStorage, KEY, recording, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

/** A fetch that never answers until its attempt is aborted. */
const hanging = (calls: { n: number }) => (_r: Request, init?: { signal?: AbortSignal }) =>
  new Promise<Response>((_, reject) => {
    calls.n++;
    init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

describe("per-request options", () => {
  it("timeoutMs: 1 times out this call, whatever the client's timeout", async () => {
    const calls = { n: 0 };
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: hanging(calls), timeoutMs: 600_000 });
    const err = await getJob(core, "abc", { timeoutMs: 1, maxRetries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(SlngTimeoutError);
    expect(err.message).toMatch(/timed out after 1 ms/);
    expect(calls.n).toBe(1);
  });

  it("maxRetries: 0 makes one attempt; the client's default retries", async () => {
    let n = 0;
    const fetch = async () => {
      n++;
      return new Response(JSON.stringify({ error: "Internal server error" }), { status: 500 });
    };
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 2 });
    await expect(slng.jobs.get("abc", { maxRetries: 0 })).rejects.toMatchObject({ status: 500 });
    expect(n).toBe(1);
    n = 0;
    const fast = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 1 });
    await expect(fast.jobs.get("abc")).rejects.toMatchObject({ status: 500 });
    expect(n).toBe(2);
  });

  it("headers and defaultHeaders reach every API request of a call (multipart, presign, create), never storage", async () => {
    const emu = emulator();
    open.push(emu);
    const { fetch, requests } = recording(emu);
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch, defaultHeaders: { "x-team": "a" } });
    const ack = await createJob(core, { file: wav, filename: "a.wav", headers: { "x-trace": "t1" } });
    const multipart = requests.find((r) => r.method === "POST");
    expect(multipart?.headers.get("content-type")).toMatch(/^multipart\/form-data/);
    expect(multipart?.headers.get("x-trace")).toBe("t1");
    expect(multipart?.headers.get("x-team")).toBe("a");
    requests.length = 0;
    await createJob(core, { file: wav, filename: "b.wav", upload: "presign", headers: { "x-trace": "t2" } });
    const api = requests.filter((r) => !isStorage(r));
    const storage = requests.filter(isStorage);
    expect(api.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(storage.map((r) => r.method)).toEqual(["PUT"]);
    for (const r of api) expect([r.headers.get("x-trace"), r.headers.get("x-team")]).toEqual(["t2", "a"]);
    for (const r of storage) expect([r.headers.get("x-trace"), r.headers.get("x-team")]).toEqual([null, null]);
    requests.length = 0;
    await getJob(core, ack.job_id, { headers: { "x-trace": "t3" } });
    expect(requests[0]?.headers.get("x-trace")).toBe("t3");
  });

  it("an unknown option is a type error", () => {
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: async () => new Response(null) });
    // @ts-expect-error -- `timeout` is not an option (it is `timeoutMs`)
    const p = getJob(core, "abc", { timeout: 5 });
    p.catch(() => {});
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE });
    // @ts-expect-error -- nor is `retries`
    const q = slng.jobs.files("abc", { retries: 1 });
    q.catch(() => {});
  });
});

describe("a long-lived signal shared by many calls", () => {
  it("keeps no listener once each call has ended (none left for a garbage collection to remove)", async () => {
    const emu = emulator();
    open.push(emu);
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: (r, init) => emu.fetch(new Request(r, init)) });
    const job = await slng.jobs.create({ file: new Blob([wav]), filename: "a.wav" });
    const run = new AbortController();
    for (let i = 0; i < 10; i++) {
      await slng.jobs.get(job.job_id, { signal: run.signal });
      await slng.jobs.listPage({ pageSize: 5, signal: run.signal });
    }
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });
});
