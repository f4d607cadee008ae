import type { BatchJob } from "@slng/types";
import { SlngAbortError, SlngError, SlngValidationError, WaitTimeoutError } from "./errors.js";
import { type JobTimeline, PRIOR_SHARES, type ProcessingStage, planNextPoll, stageIndex } from "./poll-schedule.js";
import { type ServerClock, serverClock } from "./server-clock.js";
import { parseRetryAfter, sleep } from "./transport.js";
import { checkJobId } from "./validate.js";

/** Options of `jobs.wait` and `jobs.watch`. */
export interface WaitOptions {
  /** Stops the wait: the poll in flight is cancelled and the call rejects with an `AbortError` at once. */
  signal?: AbortSignal | undefined;
  /** Headers added to every poll (after the client's `defaultHeaders`). */
  headers?: Record<string, string> | undefined;
  /** Overall deadline in ms (default 3 600 000 = 1 h; `Infinity` for none). Ends in `WaitTimeoutError`. */
  timeoutMs?: number;
  /**
   * Shortest gap between polls (default 500 ms): the brisk polling around a predicted end.
   * While nothing predicts the end, a wait's gaps are at least three times this.
   */
  minIntervalMs?: number;
  /**
   * Longest gap between polls. Default: 5000 ms while nothing predicts the end, and up to 60 s
   * for a sleep on a prediction; when given, it caps every gap.
   */
  maxIntervalMs?: number;
  /** Called with every job snapshot polled. */
  onPoll?: (job: BatchJob) => void;
  /**
   * Processing seconds per second of audio to expect (e.g. 0.1). With the job's duration it lets
   * the waiter poll sparsely until completion is likely. Learned from jobs this client saw finish.
   */
  expectedRtf?: number;
}

/** One poll: the job, and the response's `Retry-After` and `Date` headers, if any. */
export type Poll = (
  jobId: string,
  signal: AbortSignal,
) => Promise<{ job: BatchJob; retryAfter: string | null; date?: string | null }>;

/** What a client learns from the jobs it sees finish, shared by its waits. */
export interface Learned {
  /** Seconds of processing per second of audio. */
  rtf?: number | undefined;
}

/** True once a job will not change any more: DONE, FAILED, DELETED, or expired. */
export const isFinal = (job: BatchJob): boolean =>
  job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED" || !!job.expired_at;

const changed = (a: BatchJob, b: BatchJob) =>
  a.status !== b.status || a.updated_at !== b.updated_at || a.expired_at !== b.expired_at;

function interval(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0)) throw new SlngValidationError(`${name} must be a number of ms ≥ 0, got ${value}`, name);
  return value;
}

/** Longest sleep on a prediction unless `maxIntervalMs` is given. */
const MAX_PREDICTED_SLEEP_MS = 60_000;

/**
 * Follows one job's timeline on the local clock: when it was submitted, when processing began
 * and when each stage began (from `updated_at` at the first poll that shows the stage).
 */
function trackTimeline(clock: ServerClock) {
  const firstSeen = Date.now();
  const stageStarts: JobTimeline["stageStarts"] = {};
  let timeline: JobTimeline | undefined;
  return (job: BatchJob): JobTimeline => {
    const submitted = clock.toLocal(job.submitted_at);
    const status = job.status;
    const processing = stageIndex(status) >= 0;
    const started = job.started_at || !processing ? clock.toLocal(job.started_at) : submitted;
    if (processing && status !== "IN_PROGRESS") {
      const stage = status as ProcessingStage;
      if (stageStarts[stage] === undefined) {
        const at = clock.toLocal(job.updated_at);
        if (!Number.isNaN(at)) stageStarts[stage] = Math.min(Date.now(), Math.max(at, started || at));
      }
    }
    timeline = {
      status,
      submittedAt: Number.isNaN(submitted) ? firstSeen : Math.min(submitted, firstSeen),
      startedAt: started,
      stageStarts,
      durationSeconds: job.input_metadata?.duration_seconds ?? timeline?.durationSeconds,
    };
    return timeline;
  };
}

/**
 * Polls a job until it is final, yielding the first snapshot and then every change. One poll
 * at a time, placed by what the API says (`planNextPoll`): the stage, when processing and that
 * stage began (server timestamps mapped to the local clock through `Date` headers), and the
 * audio's duration predict the completion time; the waiter sleeps most of the way there and
 * polls briskly around it. A watch (`untilStage`, the default) aims at the end of each stage
 * so it shows every stage as it happens; a wait (`untilStage` false) aims only at the end. Respects `Retry-After`. Transient errors (network, 429, 5xx) are
 * ridden out with jittered exponential backoff; any other error (403, 404, …) ends the watch
 * at once. The deadline yields a `WaitTimeoutError` carrying the job id and the last snapshot;
 * the last poll is placed just before it.
 */
export function watchJob(poll: Poll, jobId: string, opts: WaitOptions, learned: Learned, untilStage = true) {
  const user = opts.signal;

  async function* run(): AsyncGenerator<BatchJob, void, undefined> {
    checkJobId(jobId);
    const min = interval("minIntervalMs", opts.minIntervalMs, 500);
    const max = Math.max(min, interval("maxIntervalMs", opts.maxIntervalMs, 5000));
    const limits = {
      minMs: min,
      uninformedMs: untilStage ? min : Math.min(max, 3 * min),
      maxMs: max,
      maxPredictedMs: opts.maxIntervalMs === undefined ? Math.max(max, MAX_PREDICTED_SLEEP_MS) : max,
      untilStage,
    };
    const timeoutMs = interval("timeoutMs", opts.timeoutMs, 3_600_000);
    const deadline = Date.now() + timeoutMs;
    const clock = serverClock();
    const follow = trackTimeline(clock);
    let last: BatchJob | undefined;
    let timeline: JobTimeline | undefined;
    let retries = 0;
    let lastChance = false;
    const backoff = () => {
      const cap = Math.min(max, min * 2 ** retries++);
      return cap / 2 + (Math.random() * cap) / 2;
    };
    for (;;) {
      if (user?.aborted) throw new SlngAbortError();
      const ctl = new AbortController();
      const onAbort = () => ctl.abort();
      user?.addEventListener("abort", onAbort, { once: true });
      const left = deadline - Date.now();
      const timer = left < 2 ** 31 ? setTimeout(() => ctl.abort(), Math.max(0, left)) : undefined;
      let delay: number;
      let job: BatchJob | undefined;
      const sentAt = Date.now();
      try {
        const r = await poll(jobId, ctl.signal);
        job = r.job;
        clock.observe(sentAt, Date.now(), r.date ?? null, serverTimes(job));
        timeline = follow(job);
        retries = 0;
        const rtf = opts.expectedRtf ?? learned.rtf;
        delay = planNextPoll(timeline, Date.now(), limits, PRIOR_SHARES, rtf);
        delay = Math.max(delay, parseRetryAfter(r.retryAfter) ?? 0);
      } catch (e) {
        if (user?.aborted) throw new SlngAbortError();
        if (Date.now() >= deadline) throw new WaitTimeoutError(jobId, last, timeoutMs);
        if (!(e instanceof SlngError) || !e.retryable) throw e;
        delay = Math.max(backoff(), (e as { retryAfterMs?: number }).retryAfterMs ?? 0);
      } finally {
        clearTimeout(timer);
        user?.removeEventListener("abort", onAbort);
      }
      if (job) {
        opts.onPoll?.(job);
        const fresh = !last || changed(last, job);
        last = job;
        if (fresh) yield job;
        if (isFinal(job)) {
          learn(job, learned);
          return;
        }
      }
      const remaining = deadline - Date.now();
      if (delay >= remaining) {
        if (lastChance || remaining <= 0) throw new WaitTimeoutError(jobId, last, timeoutMs);
        lastChance = true;
        delay = Math.max(0, remaining - 50);
      }
      await sleep(delay, user);
    }
  }
  return run();
}

const serverTimes = (job: BatchJob): number[] =>
  [job.submitted_at, job.started_at, job.updated_at, job.completed_at].map((t) => Date.parse(t ?? ""));

function learn(job: BatchJob, learned: Learned) {
  const duration = job.input_metadata?.duration_seconds;
  const took = Date.parse(job.completed_at ?? "") - Date.parse(job.started_at ?? job.submitted_at ?? "");
  // Jobs under 5 s are dominated by fixed per-stage overheads: they would teach a wrong rate.
  if (job.status === "DONE" && duration && took >= 5000) {
    const rtf = took / 1000 / duration;
    learned.rtf = learned.rtf ? (learned.rtf + rtf) / 2 : rtf;
  }
}
