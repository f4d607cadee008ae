import type { BatchJob, JobStatus } from "@slng/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SlngApiError, SlngNetworkError, WaitTimeoutError } from "./errors.js";
import { isFinal, type Poll, watchJob } from "./wait.js";

const job = (status: JobStatus, extra: Partial<BatchJob> = {}): BatchJob => ({
  job_id: "j1",
  status,
  updated_at: status,
  ...extra,
});

/** A fake poll answering from a script, checking that polls never overlap. */
function scripted(steps: Array<BatchJob | Error | { job: BatchJob; retryAfter: string }>) {
  let inFlight = 0;
  const times: number[] = [];
  const poll: Poll = async () => {
    expect(inFlight).toBe(0);
    inFlight++;
    times.push(Date.now());
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    const step = steps[Math.min(times.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    if (step && "retryAfter" in step) return step;
    return { job: step as BatchJob, retryAfter: null };
  };
  return { poll, times };
}

/** Drains a watch on a fake clock: timers fire in order, so gaps are exact and load cannot skew them. */
async function collect(it: AsyncIterable<BatchJob>) {
  const out: BatchJob[] = [];
  let settled = false;
  const drained = (async () => {
    for await (const j of it) out.push(j);
    return out;
  })().finally(() => {
    settled = true;
  });
  drained.catch(() => {});
  for (let i = 0; !settled && i < 10_000; i++) await vi.advanceTimersToNextTimerAsync();
  return drained;
}

describe("watchJob", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("yields the first snapshot and each change only, and stops at DONE", async () => {
    const { poll, times } = scripted([
      job("QUEUED"),
      job("QUEUED"),
      job("IN_PROGRESS"),
      job("IN_PROGRESS"),
      job("DONE"),
    ]);
    const seen = await collect(watchJob(poll, "j1", { minIntervalMs: 1, maxIntervalMs: 4 }, {}));
    expect(seen.map((j) => j.status)).toEqual(["QUEUED", "IN_PROGRESS", "DONE"]);
    expect(times).toHaveLength(5);
  });

  it("treats FAILED, DELETED and expired_at as final", () => {
    expect(isFinal(job("FAILED"))).toBe(true);
    expect(isFinal(job("DELETED"))).toBe(true);
    expect(isFinal(job("DONE"))).toBe(true);
    expect(isFinal(job("IN_PROGRESS", { expired_at: "2026-01-01T00:00:00Z" }))).toBe(true);
    expect(isFinal(job("POST_PROCESSING"))).toBe(false);
  });

  it("backs off exponentially between min and max", async () => {
    const { poll, times } = scripted([...Array.from({ length: 7 }, () => job("QUEUED")), job("DONE")]);
    await collect(watchJob(poll, "j1", { minIntervalMs: 8, maxIntervalMs: 40 }, {}));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(2 + 4);
    expect(gaps[0]).toBeLessThanOrEqual(2 + 8);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 + 40);
    expect(gaps.slice(-2).every((g) => g >= 2 + 20)).toBe(true);
  });

  it("honours Retry-After on answers and on transient errors, and rides them out", async () => {
    const busy = new SlngApiError("Too many requests", { status: 429, request: "GET", retryAfterMs: 80 });
    const { poll, times } = scripted([
      { job: job("QUEUED"), retryAfter: "0.06" },
      busy,
      new SlngNetworkError("reset", {}),
      job("DONE"),
    ]);
    const seen = await collect(watchJob(poll, "j1", { minIntervalMs: 1, maxIntervalMs: 2 }, {}));
    expect(seen.at(-1)?.status).toBe("DONE");
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2 + 60);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(2 + 80);
    expect((times[3] ?? 0) - (times[2] ?? 0)).toBeLessThanOrEqual(2 + 2);
  });

  it("ends at once on a non-retryable error (403/404)", async () => {
    const { poll, times } = scripted([
      job("QUEUED"),
      new SlngApiError("Job not found", { status: 404, request: "GET" }),
    ]);
    await expect(collect(watchJob(poll, "j1", { minIntervalMs: 1 }, {}))).rejects.toMatchObject({ status: 404 });
    expect(times).toHaveLength(2);
  });

  it("times out with the last job, placing a last poll just before the deadline", async () => {
    const { poll, times } = scripted([job("QUEUED")]);
    const started = Date.now();
    const err = await collect(watchJob(poll, "j1", { timeoutMs: 100, minIntervalMs: 60, maxIntervalMs: 60 }, {})).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.lastJob.status).toBe("QUEUED");
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(4);
    expect((times.at(-1) ?? 0) - started).toBeGreaterThanOrEqual(40);
    expect((times.at(-1) ?? 0) - started).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThanOrEqual(100 + 2);
  });

  it("polls sparsely until the expected completion when the duration and rate are known", async () => {
    const submitted = new Date(Date.now()).toISOString();
    const meta = { input_metadata: { duration_seconds: 1 }, submitted_at: submitted };
    const doneAt = Date.now() + 150;
    let polls = 0;
    const poll: Poll = async () => {
      polls++;
      return { job: job(Date.now() >= doneAt ? "DONE" : "IN_PROGRESS", meta), retryAfter: null };
    };
    const learned: { rtf?: number } = {};
    const started = Date.now();
    await collect(watchJob(poll, "j1", { minIntervalMs: 5, maxIntervalMs: 1000, expectedRtf: 0.15 }, learned));
    expect(Date.now() - started).toBeLessThanOrEqual(150 + 0.05 * 150);
    expect(polls).toBeLessThanOrEqual(5);
    let naive = 0;
    const doneAt2 = Date.now() + 150;
    const poll2: Poll = async () => {
      naive++;
      return { job: job(Date.now() >= doneAt2 ? "DONE" : "IN_PROGRESS"), retryAfter: null };
    };
    await collect(watchJob(poll2, "j1", { minIntervalMs: 5, maxIntervalMs: 20 }, {}));
    expect(naive).toBeGreaterThan(polls);
  });
});
