import type { JobStatus } from "@slng/types";

/**
 * When a job enters each stage, computed once at acceptance from the audio's duration, the
 * real-time factor and the minimum stage time. Status is derived from the clock on read, so
 * no timer keeps the process alive.
 */
export interface Schedule {
  submittedAt: number;
  /** QUEUED → IN_PROGRESS. */
  startedAt: number;
  /** IN_PROGRESS → DECODING. */
  decodingAt: number;
  /** DECODING → POST_PROCESSING (undefined for a job that fails while decoding). */
  postProcessingAt: number | undefined;
  /** → DONE, or → FAILED for a failing job. */
  completedAt: number;
  /** True when the job ends FAILED. */
  fails: boolean;
}

/** Share of the processing time spent in each stage (queued, in progress, decoding, post-processing). */
const SHARES = [0.05, 0.1, 0.7, 0.15] as const;

/**
 * Plans a job's lifecycle: processing takes `durationSeconds × rtf` seconds in total, spread over
 * the four non-terminal stages, each lasting at least `minStageMs`. A failing job runs to
 * DECODING and ends FAILED when decoding would have ended.
 */
export function planSchedule(
  submittedAt: number,
  durationSeconds: number,
  rtf: number,
  minStageMs: number,
  fails: boolean,
): Schedule {
  const total = Math.max(0, durationSeconds) * rtf * 1000;
  const [q, p, d, pp] = SHARES.map((share) => Math.round(Math.max(minStageMs, share * total))) as [
    number,
    number,
    number,
    number,
  ];
  const startedAt = submittedAt + q;
  const decodingAt = startedAt + p;
  const decodedAt = decodingAt + d;
  if (fails) {
    return { submittedAt, startedAt, decodingAt, postProcessingAt: undefined, completedAt: decodedAt, fails };
  }
  return { submittedAt, startedAt, decodingAt, postProcessingAt: decodedAt, completedAt: decodedAt + pp, fails };
}

/** The processing status at `now` (DELETED is handled by the caller). */
export function statusAt(s: Schedule, now: number): JobStatus {
  if (now < s.startedAt) return "QUEUED";
  if (now < s.decodingAt) return "IN_PROGRESS";
  if (s.fails) return now < s.completedAt ? "DECODING" : "FAILED";
  if (s.postProcessingAt !== undefined && now < s.postProcessingAt) return "DECODING";
  if (now < s.completedAt) return "POST_PROCESSING";
  return "DONE";
}

/** The time of the latest stage change at or before `now`. */
export function lastTransitionAt(s: Schedule, now: number): number {
  const points = [s.submittedAt, s.startedAt, s.decodingAt, s.postProcessingAt, s.completedAt];
  let latest = s.submittedAt;
  for (const t of points) if (t !== undefined && t <= now && t > latest) latest = t;
  return latest;
}
