import { describe, expect, it } from "vitest";
import { apiError, FakeApi, makeJob, waitFor } from "../test-utils/fake-api.js";
import { attachLineRenderer } from "./line-renderer.js";
import { WatchController } from "./watch-controller.js";

const fast = { backoff: () => 20, estimate: false } as const;

describe("WatchController", () => {
  it("ends DONE with exit 0 and loads outputs and the transcript", async () => {
    const api = new FakeApi();
    api.watchRuns = [
      [
        { job: makeJob() },
        { job: makeJob({ status: "IN_PROGRESS" }) },
        { job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) },
      ],
    ];
    const c = new WatchController(api, "job123", fast);
    const outcome = await c.run();
    expect(outcome).toEqual({ code: 0, reason: "DONE" });
    expect(c.getState().outputs?.map((o) => o.format)).toEqual(["json", "txt", "srt"]);
    expect(c.getState().transcript).toContain("Hello world");
  });

  it("q while an ended job's results load ends with the job's outcome, not 'keeps running'", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) }]];
    let release: () => void = () => {};
    const filesCalled = new Promise<void>((called) => {
      api.files = (_id: string, opts?: { signal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          called();
          release = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
          opts?.signal?.addEventListener("abort", () => release());
        });
    });
    const c = new WatchController(api, "job123", fast);
    const run = c.run();
    await filesCalled;
    c.stop("quit");
    expect(await run).toEqual({ code: 0, reason: "DONE" });
  });

  it("ends FAILED with exit 1 and the error message", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob({ status: "FAILED", error_message: { message: "Could not decode audio" } }) }]];
    const outcome = await new WatchController(api, "job123", fast).run();
    expect(outcome).toEqual({ code: 1, reason: "FAILED: Could not decode audio" });
  });

  it("treats DELETED and expired as exit 1", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob({ status: "DELETED" }) }]];
    expect((await new WatchController(api, "a1", fast).run()).code).toBe(1);
    const api2 = new FakeApi();
    api2.watchRuns = [[{ job: makeJob({ status: "DONE", expired_at: "2026-01-02T00:00:00Z" }) }]];
    expect(await new WatchController(api2, "a1", { ...fast, fetchTranscript: false }).run()).toEqual({
      code: 1,
      reason: "expired",
    });
  });

  it("rides out transient errors, showing when it retries, then finishes", async () => {
    const api = new FakeApi();
    api.watchRuns = [
      [{ job: makeJob() }, { error: apiError(503, "Service Unavailable") }],
      [{ error: Object.assign(new TypeError("fetch failed"), {}) }],
      [{ job: makeJob({ status: "DONE" }) }],
    ];
    const c = new WatchController(api, "job123", fast);
    const seen: string[] = [];
    c.subscribe((s) => seen.push(s.connection.status));
    const outcome = await c.run();
    expect(outcome.code).toBe(0);
    expect(seen).toContain("retrying");
    expect(api.watchCalls).toBe(3);
    expect(c.getState().connection.status).toBe("ok");
  });

  it("gives up with exit 3 when the API stays unreachable longer than maxOffline", async () => {
    const api = new FakeApi();
    api.watchRuns = Array.from({ length: 50 }, () => [{ error: apiError(503, "down") }]);
    const outcome = await new WatchController(api, "job123", { ...fast, maxOfflineMs: 60 }).run();
    expect(outcome.code).toBe(3);
    expect(outcome.reason).toMatch(/unreachable/);
  });

  it("gives up saying how long the API was really unreachable: never less than the view counted", async () => {
    const api = new FakeApi();
    api.watchRuns = Array.from({ length: 5 }, () => [{ error: apiError(503, "down") }]);
    let clock = 1_000_000;
    // Each wait between attempts moves the clock on 10.5 s: attempts at 0, 10.5 s and 21 s.
    const backoff = () => {
      clock += 10_500;
      return 1;
    };
    const outcome = await new WatchController(api, "job123", { estimate: false, backoff, now: () => clock }).run();
    expect(outcome.code).toBe(3);
    expect(outcome.reason).toMatch(/^API unreachable for 21s: /);
  });

  it("polls at the API's pace for the stage the job is in, and starts again at a new stage's pace", async () => {
    const api = new FakeApi();
    const paces: (number | undefined)[] = [];
    const watch = api.watch.bind(api);
    api.watch = (id, opts) => {
      paces.push(opts?.maxIntervalMs);
      return watch(id, opts);
    };
    api.pace = (status) => ({ minIntervalMs: 1, maxIntervalMs: status === "DECODING" ? 700 : 1500 });
    api.watchRuns = [
      [{ job: makeJob() }, { job: makeJob({ status: "DECODING" }) }, { job: makeJob({ status: "DECODING" }) }],
      [
        { job: makeJob({ status: "DECODING" }) },
        { job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) },
      ],
    ];
    const outcome = await new WatchController(api, "job123", fast).run();
    expect(outcome.code).toBe(0);
    expect(paces).toEqual([1500, 700]);
  });

  it("ends at once with exit 3 on 404 and 403", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ error: apiError(404, "Job not found") }]];
    const outcome = await new WatchController(api, "nope", fast).run();
    expect(outcome.code).toBe(3);
    expect(outcome.reason).toMatch(/Job not found/);
    expect(api.watchCalls).toBe(1);
  });

  it("times out with exit 4", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob() }, { hang: true }]];
    const outcome = await new WatchController(api, "job123", { ...fast, timeoutMs: 50 }).run();
    expect(outcome.code).toBe(4);
  });

  it("stops on interrupt (130) and quit (0) promptly", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob() }, { hang: true }]];
    const c = new WatchController(api, "job123", fast);
    const run = c.run();
    await waitFor(() => expect(c.getState().job).toBeDefined());
    c.stop("interrupt");
    expect(await run).toEqual({ code: 130, reason: "interrupted (the job keeps running)" });
    const api2 = new FakeApi();
    api2.watchRuns = [[{ hang: true }]];
    const c2 = new WatchController(api2, "job123", fast);
    const run2 = c2.run();
    c2.stop("quit");
    expect((await run2).code).toBe(0);
  });

  it("restarts the watch on refresh", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob() }, { hang: true }], [{ job: makeJob({ status: "DONE" }) }]];
    const c = new WatchController(api, "job123", fast);
    const run = c.run();
    await waitFor(() => expect(c.getState().job).toBeDefined());
    c.refresh();
    expect((await run).code).toBe(0);
    expect(api.watchCalls).toBe(2);
  });

  it("publishes nothing when a snapshot did not change", async () => {
    const api = new FakeApi();
    const job = makeJob();
    api.watchRuns = [[{ job }, { job: { ...job } }, { job: { ...job } }, { job: makeJob({ status: "FAILED" }) }]];
    const c = new WatchController(api, "job123", fast);
    let publishes = 0;
    c.subscribe(() => publishes++);
    await c.run();
    expect(publishes).toBe(3); // first snapshot, FAILED, outcome
  });

  it("reads the ETA basis from recent DONE jobs", async () => {
    const api = new FakeApi();
    api.listItems = [
      makeJob({
        job_id: "old1",
        status: "DONE",
        started_at: "2026-01-01T00:00:00Z",
        completed_at: "2026-01-01T00:00:10Z",
        input_metadata: { duration_seconds: 100 },
      }),
    ];
    api.watchRuns = [
      [{ job: makeJob({ status: "IN_PROGRESS", started_at: new Date().toISOString() }) }, { hang: true }],
    ];
    const c = new WatchController(api, "job123", { backoff: () => 20 });
    const run = c.run();
    await waitFor(() =>
      expect(c.getState().speed).toEqual({ secondsPerAudioSecond: 0.1, overheadSeconds: 0, jobs: 1 }),
    );
    expect(c.eta(Date.now())?.basedOn).toBe(1);
    c.stop("quit");
    await run;
  });

  it("deletes a finished job", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob({ status: "FAILED" }) }]];
    const c = new WatchController(api, "job123", fast);
    await c.run();
    expect(await c.deleteJob()).toMatch(/Deleted/);
    expect(api.deleted).toEqual(["job123"]);
    expect(c.getState().job?.status).toBe("DELETED");
  });
});

describe("line renderer", () => {
  it("prints one timestamped line per status change and a summary", async () => {
    const api = new FakeApi();
    api.watchRuns = [
      [{ job: makeJob() }, { job: makeJob() }, { error: apiError(503, "Service Unavailable") }],
      [
        { job: makeJob({ status: "IN_PROGRESS", started_at: "2026-01-01T12:00:02Z" }) },
        { job: makeJob({ status: "DONE", completed_at: "2026-01-01T12:00:09Z" }) },
      ],
    ];
    const c = new WatchController(api, "job123", fast);
    let out = "";
    attachLineRenderer(c, (t) => (out += t), { json: false });
    await c.run();
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}job123 {2}QUEUED\s+312\.4 s of audio$/);
    expect(lines[1]).toMatch(/retrying {4}API error \(503 Service Unavailable\), retrying in 1 s$/);
    expect(lines[2]).toMatch(/job123 {2}reconnected$/);
    expect(lines[3]).toMatch(/job123 {2}IN_PROGRESS\s+QUEUED took 2\.0s$/);
    expect(lines[4]).toMatch(
      /job123 {2}DONE\s+IN_PROGRESS took ≤ 7\.0s, DECODING, POST_PROCESSING not observed separately, total 0:09$/,
    );
    expect(lines[5]).toBe("✓ job123: DONE (exit code 0)");
    expect(out).toContain("│ Hello world.");
    expect(out).toContain("full transcript: slng-batch transcript job123");
    expect(lines.filter((l) => l.includes("job123  QUEUED")).length).toBe(1);
  });

  it("emits typed JSON events", async () => {
    const api = new FakeApi();
    api.watchRuns = [
      [{ job: makeJob() }, { job: makeJob({ status: "FAILED", error_message: { message: "bad audio" } }) }],
    ];
    const c = new WatchController(api, "job123", fast);
    let out = "";
    attachLineRenderer(c, (t) => (out += t), { json: true });
    await c.run();
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(["status", "status", "result"]);
    expect(events[0]).toMatchObject({ job_id: "job123", status: "QUEUED", previous_status: null });
    expect(events[1]).toMatchObject({ status: "FAILED", previous_status: "QUEUED" });
    expect(events[2]).toMatchObject({ exit_code: 1, status: "FAILED", error: "bad audio" });
    for (const e of events) expect(Date.parse(e.timestamp)).not.toBeNaN();
  });
});
