import { describe, expect, it } from "vitest";
import type { ConnectionEvent } from "./api.js";
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
