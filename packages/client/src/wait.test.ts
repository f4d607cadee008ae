import type { BatchJob, JobStatus } from "@slng/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SlngApiError, SlngNetworkError, WaitTimeoutError } from "./errors.js";
import { isFinal, type Learned, type Poll, watchJob } from "./wait.js";

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

  it("while nothing predicts the end, a wait waits as long as the job has existed, from 3 × min to max", async () => {
    const submitted_at = new Date(Date.now()).toISOString();
    const { poll, times } = scripted([
      ...Array.from({ length: 7 }, () => job("QUEUED", { submitted_at })),
      job("DONE"),
    ]);
    await collect(watchJob(poll, "j1", { minIntervalMs: 8, maxIntervalMs: 40 }, {}, false));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps[0]).toBe(2 + 24);
    expect(gaps[1]).toBe(2 + 28);
    expect(gaps.slice(2).every((g) => g === 2 + 40)).toBe(true);
  });

  it("a watch, which shows each stage, starts from min instead", async () => {
    const submitted_at = new Date(Date.now()).toISOString();
    const { poll, times } = scripted([
      ...Array.from({ length: 4 }, () => job("QUEUED", { submitted_at })),
      job("DONE"),
    ]);
    await collect(watchJob(poll, "j1", { minIntervalMs: 8, maxIntervalMs: 40 }, {}));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps.slice(0, 3)).toEqual([2 + 8, 2 + 12, 2 + 26]);
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
    await collect(watchJob(poll, "j1", { minIntervalMs: 5, maxIntervalMs: 1000, expectedRtf: 0.15 }, learned, false));
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

/**
 * A server whose job moves through its stages on the (fake) clock — queued 1.5 s, then 3 s,
 * 21.3 s and 4.6 s of processing — stamping `updated_at` with each stage's start. Its own clock
 * runs `skewMs` ahead of ours, and it may send a `Date` header, as a real one does.
 */
function stagedServer(skewMs: number, sendDate: boolean) {
  const t0 = Date.now();
  const bounds = [0, 1500, 4500, 25800, 30400].map((ms) => t0 + ms);
  const stages: JobStatus[] = ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE"];
  const iso = (ms: number) => new Date(ms + skewMs).toISOString();
  let polls = 0;
  const poll: Poll = async () => {
    polls++;
    const now = Date.now();
    const i = bounds.filter((b) => b <= now).length - 1;
    const at = bounds[i] as number;
    const answer = job(stages[i] as JobStatus, {
      submitted_at: iso(t0),
      started_at: i >= 1 ? iso(bounds[1] as number) : null,
      updated_at: iso(at),
      completed_at: i === 4 ? iso(at) : null,
      input_metadata: { duration_seconds: 120 },
    });
    return { job: answer, retryAfter: null, date: sendDate ? new Date(now + skewMs).toUTCString() : null };
  };
  return { poll, polls: () => polls, doneAt: bounds[4] as number };
}

describe("the cold schedule (no rate learned)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function waitCold(skewMs: number, sendDate: boolean) {
    const server = stagedServer(skewMs, sendDate);
    await collect(watchJob(server.poll, "j1", {}, {}, false));
    return { polls: server.polls(), delayMs: Date.now() - server.doneAt };
  }

  it("predicts the end from the stages already done: fewer polls than fixed 3 s polling, seen within a second", async () => {
    const { polls, delayMs } = await waitCold(0, true);
    const fixed3s = Math.ceil(30_400 / 3000) + 1;
    expect(polls).toBeLessThan(fixed3s);
    expect(polls).toBeLessThanOrEqual(8);
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(1000);
  });

  it("a watch aims at each stage's end instead: the predicted stages are shown within a second", async () => {
    const server = stagedServer(0, true);
    const seenAt: Record<string, number> = {};
    const t0 = Date.now();
    const watching = (async () => {
      for await (const j of watchJob(server.poll, "j1", {}, {})) seenAt[j.status] ??= Date.now() - t0;
    })();
    for (let i = 0; i < 10_000 && seenAt.DONE === undefined; i++) await vi.advanceTimersToNextTimerAsync();
    await watching;
    // Before any prediction the gap is the job's age (so at most double it); then the stages' ends.
    const uninformed = { QUEUED: 0, IN_PROGRESS: 1500, DECODING: 4500 };
    const predicted = { POST_PROCESSING: 25_800, DONE: 30_400 };
    for (const [status, start] of Object.entries(uninformed)) {
      expect(seenAt[status], status).toBeGreaterThanOrEqual(start);
      expect(seenAt[status], status).toBeLessThanOrEqual(2 * start + 1500);
    }
    for (const [status, start] of Object.entries(predicted)) {
      expect(seenAt[status], status).toBeGreaterThanOrEqual(start);
      expect(seenAt[status], status).toBeLessThanOrEqual(start + 1000);
    }
    // About as many polls as fixed 3 s polling (12), each stage seen sooner than it would.
    expect(server.polls()).toBeLessThanOrEqual(Math.ceil(30_400 / 3000) + 2);
  });

  it.each([
    ["an hour ahead, with Date headers", 3_600_000, true],
    ["an hour behind, with Date headers", -3_600_000, true],
    ["ten minutes ahead, without Date headers", 600_000, false],
  ])("maps a server clock %s to ours: the same schedule as with no skew", async (_, skew, sendDate) => {
    const straight = await waitCold(0, true);
    const skewed = await waitCold(skew, sendDate);
    expect(skewed.polls).toBeLessThanOrEqual(straight.polls);
    expect(skewed.delayMs).toBeLessThanOrEqual(500);
  });

  it("learns the rate from a finished job, and the next wait uses it", async () => {
    const learned: Learned = {};
    const first = stagedServer(0, true);
    await collect(watchJob(first.poll, "j1", {}, learned, false));
    expect(learned.rtf).toBeCloseTo(28.9 / 120, 1);
    const second = stagedServer(0, true);
    await collect(watchJob(second.poll, "j1", {}, learned, false));
    expect(second.polls()).toBeLessThanOrEqual(first.polls());
    expect(Date.now() - second.doneAt).toBeLessThanOrEqual(1000);
  });
});
