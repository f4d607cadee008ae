import type { BatchJob } from "@slng/types";
import { SlngAbortError, SlngError, SlngValidationError, WaitTimeoutError } from "./errors.js";
import { parseRetryAfter, sleep } from "./transport.js";
import { checkJobId } from "./validate.js";

/** Options of `jobs.wait` and `jobs.watch`. */
export interface WaitOptions {
  /** Stops the wait: the poll in flight is cancelled and the call rejects with an `AbortError` at once. */
  signal?: AbortSignal;
  /** Overall deadline in ms (default 3 600 000 = 1 h; `Infinity` for none). Ends in `WaitTimeoutError`. */
  timeoutMs?: number;
  /** First and shortest gap between polls (default 500 ms). */
  minIntervalMs?: number;
  /** Longest gap between polls (default 5000 ms). */
  maxIntervalMs?: number;
  /** Called with every job snapshot polled. */
  onPoll?: (job: BatchJob) => void;
  /**
   * Processing seconds per second of audio to expect (e.g. 0.1). With the job's duration it lets
   * the waiter poll sparsely until completion is likely. Learned from jobs this client saw finish.
   */
  expectedRtf?: number;
}

/** One poll: the job and the response's `Retry-After`, if any. */
export type Poll = (jobId: string, signal: AbortSignal) => Promise<{ job: BatchJob; retryAfter: string | null }>;

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

/**
 * Polls a job until it is final, yielding the first snapshot and then every change. One poll
 * at a time; gaps grow from `minIntervalMs` to `maxIntervalMs` (exponential, jittered), stretch
 * towards the expected completion time when the audio duration and a processing rate are
 * known, and respect `Retry-After`. Transient errors (network, 429, 5xx) are ridden out; any
 * other error (403, 404, …) ends the watch at once. The deadline yields a `WaitTimeoutError`
 * carrying the job id and the last snapshot; the last poll is placed just before it.
 */
export function watchJob(poll: Poll, jobId: string, opts: WaitOptions, learned: { rtf?: number | undefined }) {
  const user = opts.signal;

  async function* run(): AsyncGenerator<BatchJob, void, undefined> {
    checkJobId(jobId);
    const min = interval("minIntervalMs", opts.minIntervalMs, 500);
    const max = Math.max(min, interval("maxIntervalMs", opts.maxIntervalMs, 5000));
    const timeoutMs = interval("timeoutMs", opts.timeoutMs, 3_600_000);
    const deadline = Date.now() + timeoutMs;
    let last: BatchJob | undefined;
    let step = 0;
    let lastChance = false;
    const jitter = () => {
      const cap = Math.min(max, min * 2 ** step++);
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
      let hint = 0;
      let job: BatchJob | undefined;
      try {
        const r = await poll(jobId, ctl.signal);
        job = r.job;
        hint = parseRetryAfter(r.retryAfter) ?? 0;
        delay = jitter();
      } catch (e) {
        if (user?.aborted) throw new SlngAbortError();
        if (Date.now() >= deadline) throw new WaitTimeoutError(jobId, last, timeoutMs);
        if (!(e instanceof SlngError) || !e.retryable) throw e;
        delay = Math.max(jitter(), (e as { retryAfterMs?: number }).retryAfterMs ?? 0);
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
        const rtf = opts.expectedRtf ?? learned.rtf;
        const duration = job.input_metadata?.duration_seconds;
        const since = Date.parse(job.started_at ?? job.submitted_at ?? "");
        if (rtf && duration && !Number.isNaN(since)) {
          // Sparse until 90 % of the expected processing time, then every 5 % of it, for as long
          // again; a job that overruns that falls back to the exponential schedule.
          const expected = duration * rtf * 1000;
          const elapsed = Date.now() - since;
          if (elapsed < expected * 0.9) delay = Math.min(max, Math.max(min, expected * 0.9 - elapsed));
          else if (elapsed < expected * 2) delay = Math.min(max, Math.max(min, expected * 0.05));
          step = 0;
        }
        delay = Math.max(delay, hint);
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

function learn(job: BatchJob, learned: { rtf?: number | undefined }) {
  const duration = job.input_metadata?.duration_seconds;
  const took = Date.parse(job.completed_at ?? "") - Date.parse(job.started_at ?? job.submitted_at ?? "");
  // Jobs under 5 s are dominated by fixed per-stage overheads: they would teach a wrong rate.
  if (job.status === "DONE" && duration && took >= 5000) {
    const rtf = took / 1000 / duration;
    learned.rtf = learned.rtf ? (learned.rtf + rtf) / 2 : rtf;
  }
}
