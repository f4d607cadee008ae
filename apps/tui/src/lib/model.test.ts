import { describe, expect, it } from "vitest";
import { makeJob } from "../test-utils/fake-api.js";
import { classifyError, describeError, exitCodeForError } from "./errors.js";
import { estimateFinish, measureSpeed } from "./eta.js";
import { exitCodeForJob } from "./exit-codes.js";
import { formatBytes, formatClock, formatDuration } from "./format.js";
import { advanceTimeline, stageDuration, type Timeline } from "./timeline.js";

const T0 = Date.parse("2026-01-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("timeline", () => {
  it("records each stage with server times where the API has them and observed times otherwise", () => {
    let t: Timeline = { stages: [] };
    t = advanceTimeline(t, makeJob({ status: "QUEUED" }), T0 + 500);
    expect(t.stages).toEqual([{ status: "QUEUED", startedAt: T0 }]);
    const same = advanceTimeline(t, makeJob({ status: "QUEUED" }), T0 + 900);
    expect(same).toBe(t);
    t = advanceTimeline(t, makeJob({ status: "IN_PROGRESS", started_at: iso(T0 + 2000) }), T0 + 2300);
    expect(t.stages[0]).toEqual({ status: "QUEUED", startedAt: T0, endedAt: T0 + 2000 });
    expect(t.stages[1]).toEqual({ status: "IN_PROGRESS", startedAt: T0 + 2000 });
    t = advanceTimeline(t, makeJob({ status: "DECODING", started_at: iso(T0 + 2000) }), T0 + 5000);
    expect(stageDuration(t.stages[1] as never, 0)).toBe(3000);
    expect(stageDuration(t.stages[2] as never, T0 + 6000)).toBe(1000);
    t = advanceTimeline(
      t,
      makeJob({ status: "DONE", started_at: iso(T0 + 2000), completed_at: iso(T0 + 9000) }),
      T0 + 9500,
    );
    expect(t.stages.map((s) => s.status)).toEqual(["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"]);
    expect(t.stages[3]?.approximate).toBe(true);
    expect(t.stages[4]).toMatchObject({ status: "DONE", startedAt: T0 + 9000, endedAt: T0 + 9000 });
  });

  it("marks stages passed before the watch began as approximate", () => {
    const t = advanceTimeline(
      { stages: [] },
      makeJob({ status: "POST_PROCESSING", started_at: iso(T0 + 1000) }),
      T0 + 4000,
    );
    expect(t.stages.map((s) => [s.status, s.approximate === true])).toEqual([
      ["QUEUED", false],
      ["IN_PROGRESS", true],
      ["DECODING", true],
      ["POST_PROCESSING", true],
    ]);
    expect(t.stages[0]?.endedAt).toBe(T0 + 1000);
  });

  it("uses updated_at as the start of the current stage when the watch begins mid-way", () => {
    const job = makeJob({ status: "DECODING", started_at: iso(T0 + 1000), updated_at: iso(T0 + 3000) });
    const t = advanceTimeline({ stages: [] }, job, T0 + 10_000);
    expect(t.stages[1]).toMatchObject({ status: "IN_PROGRESS", startedAt: T0 + 1000, endedAt: T0 + 3000 });
    expect(t.stages[2]).toEqual({ status: "DECODING", startedAt: T0 + 3000 });
    expect(stageDuration(t.stages[2] as never, T0 + 10_000)).toBe(7000);
  });

  it("ends with DELETED", () => {
    let t = advanceTimeline({ stages: [] }, makeJob({ status: "DONE", completed_at: iso(T0 + 5000) }), T0 + 6000);
    t = advanceTimeline(t, makeJob({ status: "DELETED" }), T0 + 7000);
    expect(t.stages.at(-1)?.status).toBe("DELETED");
  });
});

describe("timeline of a FAILED job", () => {
  it("marks no stage done that the job was never seen in", () => {
    const first = advanceTimeline(
      { stages: [] },
      makeJob({ status: "FAILED", started_at: iso(T0 + 1000), completed_at: iso(T0 + 3000) }),
      T0 + 5000,
    );
    expect(first.stages.map((s) => s.status)).toEqual(["QUEUED", "IN_PROGRESS", "FAILED"]);
    let t = advanceTimeline({ stages: [] }, makeJob({ status: "QUEUED" }), T0);
    t = advanceTimeline(t, makeJob({ status: "FAILED", completed_at: iso(T0 + 2000) }), T0 + 3000);
    expect(t.stages.map((s) => s.status)).toEqual(["QUEUED", "FAILED"]);
    // A DONE job did pass every stage.
    const done = advanceTimeline({ stages: [] }, makeJob({ status: "DONE", started_at: iso(T0 + 1000) }), T0 + 5000);
    expect(done.stages.map((s) => s.status)).toEqual(["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"]);
  });
});

describe("ETA", () => {
  const done = (start: number, end: number, duration: number) =>
    makeJob({
      status: "DONE",
      started_at: iso(start),
      completed_at: iso(end),
      input_metadata: { duration_seconds: duration },
    });

  it("takes the median processing speed of recent DONE jobs", () => {
    const speed = measureSpeed([
      done(0, 10_000, 100),
      done(0, 30_000, 100),
      done(0, 20_000, 100),
      makeJob({ status: "FAILED" }),
    ]);
    expect(speed).toEqual({ secondsPerAudioSecond: 0.2, overheadSeconds: 0, jobs: 3 });
    expect(measureSpeed([makeJob({ status: "DONE" })])).toBeUndefined();
  });

  it("separates a fixed per-job cost from the rate when durations differ, so short clips do not skew long ones", () => {
    // Three 5 s clips that took 5 s (all overhead) and one 300 s recording that took 30 s.
    const speed = measureSpeed([done(0, 5000, 5), done(0, 5000, 5), done(0, 5000, 5), done(0, 30_000, 300)]);
    expect(speed?.jobs).toBe(4);
    expect(speed?.secondsPerAudioSecond).toBeCloseTo(25 / 295, 6);
    expect(speed?.overheadSeconds).toBeCloseTo(5 - (25 / 295) * 5, 6);
    const running = makeJob({ status: "DECODING", started_at: iso(T0), input_metadata: { duration_seconds: 300 } });
    expect(estimateFinish(running, speed, T0)?.finishAt).toBeCloseTo(T0 + 30_000, -1);
    // A line with a negative intercept falls back to a fit through the origin.
    const noisy = measureSpeed([done(0, 1000, 20), done(0, 30_000, 300)]);
    expect(noisy?.overheadSeconds).toBe(0);
    expect(noisy?.secondsPerAudioSecond).toBeCloseTo((20 * 1 + 300 * 30) / (20 * 20 + 300 * 300), 6);
  });

  it("estimates from started_at, or from now while queued, and never without data", () => {
    const speed = { secondsPerAudioSecond: 0.1, overheadSeconds: 0, jobs: 4 };
    const running = makeJob({ status: "DECODING", started_at: iso(T0), input_metadata: { duration_seconds: 300 } });
    expect(estimateFinish(running, speed, T0 + 1000)).toEqual({ finishAt: T0 + 30_000, basedOn: 4, fromNow: false });
    const queued = makeJob({ status: "QUEUED", input_metadata: { duration_seconds: 300 } });
    expect(estimateFinish(queued, speed, T0)).toEqual({ finishAt: T0 + 30_000, basedOn: 4, fromNow: true });
    expect(estimateFinish(queued, { ...speed, overheadSeconds: 2 }, T0)?.finishAt).toBe(T0 + 32_000);
    expect(estimateFinish(running, undefined, T0)).toBeUndefined();
    expect(estimateFinish(makeJob({ status: "DECODING", input_metadata: {} }), speed, T0)).toBeUndefined();
    expect(
      estimateFinish(makeJob({ status: "DONE", input_metadata: { duration_seconds: 3 } }), speed, T0),
    ).toBeUndefined();
  });
});

describe("exit codes and errors", () => {
  it("maps job states", () => {
    expect(exitCodeForJob({ status: "DONE" })).toBe(0);
    expect(exitCodeForJob({ status: "FAILED" })).toBe(1);
    expect(exitCodeForJob({ status: "DELETED" })).toBe(1);
    expect(exitCodeForJob({ status: "DONE", expired_at: "2026-01-01T00:00:00Z" })).toBe(1);
    expect(exitCodeForJob({ status: "DECODING" })).toBeUndefined();
  });

  it("classifies client errors", () => {
    const e = (status: number) => Object.assign(new Error("x"), { status });
    expect(classifyError(e(403))).toBe("auth");
    expect(classifyError(e(404))).toBe("not-found");
    expect(classifyError(e(503))).toBe("transient");
    expect(classifyError(e(429))).toBe("transient");
    expect(classifyError(e(400))).toBe("invalid");
    expect(classifyError(Object.assign(new TypeError("fetch failed"), {}))).toBe("transient");
    expect(classifyError(Object.assign(new Error("t"), { name: "WaitTimeoutError" }))).toBe("timeout");
    expect(exitCodeForError(e(404))).toBe(3);
    expect(exitCodeForError(e(403))).toBe(3);
    expect(describeError(Object.assign(new Error("Job not found"), { status: 404 }))).toMatch(/slng-batch jobs/);
  });
});

describe("format", () => {
  it("formats durations, clocks and bytes", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(4200)).toBe("4.2s");
    expect(formatDuration(65_000)).toBe("1m 05s");
    expect(formatClock(3_723_000)).toBe("1:02:03");
    expect(formatClock(7000)).toBe("0:07");
    expect(formatBytes(1536)).toBe("1.5 KiB");
  });
});

describe("stage durations from the API's timestamps", () => {
  const at = (ms: number) => iso(T0 + ms);

  it("a stage passed between two polls: the last one seen is marked ≤, not given the unseen one's time", () => {
    let t = advanceTimeline({ stages: [] }, makeJob({ status: "QUEUED", updated_at: at(0) }), T0 + 100);
    const decoding = makeJob({ status: "DECODING", started_at: at(400), updated_at: at(800) });
    t = advanceTimeline(t, decoding, T0 + 900);
    t = advanceTimeline(
      t,
      makeJob({ status: "DONE", started_at: at(400), updated_at: at(2040), completed_at: at(2040) }),
      T0 + 2300,
    );
    const byStatus = Object.fromEntries(t.stages.map((s) => [s.status, s]));
    expect(byStatus.IN_PROGRESS).toEqual({ status: "IN_PROGRESS", startedAt: T0 + 400, endedAt: T0 + 800 });
    expect(byStatus.DECODING).toMatchObject({ startedAt: T0 + 800, endedAt: T0 + 2040, approximate: true });
    expect(byStatus.POST_PROCESSING).toMatchObject({ approximate: true });
  });

  it("IN_PROGRESS between started_at and a first snapshot in DECODING is exact", () => {
    const t = advanceTimeline(
      { stages: [] },
      makeJob({ status: "DECODING", started_at: at(1000), updated_at: at(2500) }),
      T0 + 9000,
    );
    expect(t.stages[1]).toEqual({ status: "IN_PROGRESS", startedAt: T0 + 1000, endedAt: T0 + 2500 });
  });

  it("two watches of one job, polled at different moments, give every stage they both saw the same duration", () => {
    const snapshots = [
      makeJob({ status: "QUEUED", updated_at: at(0) }),
      makeJob({ status: "IN_PROGRESS", started_at: at(1000), updated_at: at(1000) }),
      makeJob({ status: "DECODING", started_at: at(1000), updated_at: at(2200) }),
      makeJob({ status: "POST_PROCESSING", started_at: at(1000), updated_at: at(4100) }),
      makeJob({ status: "DONE", started_at: at(1000), updated_at: at(5300), completed_at: at(5300) }),
    ];
    const watch = (seenAt: number[]) =>
      snapshots
        .reduce<Timeline>((t, job, i) => advanceTimeline(t, job, T0 + (seenAt[i] ?? 0)), { stages: [] })
        .stages.map((s) => [s.status, stageDuration(s, 0), s.approximate === true]);
    expect(watch([10, 1700, 2900, 4900, 5999])).toEqual(watch([900, 1100, 3900, 4200, 9000]));
    expect(watch([10, 1700, 2900, 4900, 5999])).toEqual([
      ["QUEUED", 1000, false],
      ["IN_PROGRESS", 1200, false],
      ["DECODING", 1900, false],
      ["POST_PROCESSING", 1200, false],
      ["DONE", 0, false],
    ]);
  });
});
