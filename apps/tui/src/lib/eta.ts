import type { BatchJob } from "@slng/types";
import { parseTime } from "./format.js";

/** How fast this account's jobs have been processed lately. */
export interface SpeedSample {
  /** Median processing seconds per second of audio (started → completed). */
  secondsPerAudioSecond: number;
  /** How many finished jobs the median is drawn from. */
  jobs: number;
}

/**
 * Measures processing speed from recent finished jobs: for each DONE job with a start, a
 * completion and an audio duration, (completed − started) / duration; returns the median, or
 * undefined when no job has the data.
 */
export function measureSpeed(jobs: readonly BatchJob[]): SpeedSample | undefined {
  const ratios: number[] = [];
  for (const job of jobs) {
    if (job.status !== "DONE") continue;
    const started = parseTime(job.started_at);
    const completed = parseTime(job.completed_at);
    const duration = job.input_metadata?.duration_seconds;
    if (started === undefined || completed === undefined || !duration || duration <= 0 || completed < started) continue;
    ratios.push((completed - started) / 1000 / duration);
  }
  if (ratios.length === 0) return undefined;
  ratios.sort((a, b) => a - b);
  const mid = Math.floor(ratios.length / 2);
  const median =
    ratios.length % 2 ? (ratios[mid] as number) : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
  return { secondsPerAudioSecond: median, jobs: ratios.length };
}

/** An estimate of when a job will finish. */
export interface Eta {
  /** Expected completion time (ms since epoch). */
  finishAt: number;
  /** Finished jobs the estimate is drawn from. */
  basedOn: number;
  /** True while the job is still queued: the estimate counts from now and ignores queueing. */
  fromNow: boolean;
}

/**
 * Estimates completion: audio duration × the account's recent processing speed, counted from
 * `started_at` (or from `now` while queued). Undefined when the job has no audio duration, no
 * speed data exists, or the job is terminal — the view then shows no ETA at all.
 */
export function estimateFinish(job: BatchJob, speed: SpeedSample | undefined, now: number): Eta | undefined {
  if (!speed) return undefined;
  if (job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED") return undefined;
  const duration = job.input_metadata?.duration_seconds;
  if (!duration || duration <= 0) return undefined;
  const processingMs = duration * speed.secondsPerAudioSecond * 1000;
  const started = parseTime(job.started_at);
  if (job.status === "QUEUED" || started === undefined) {
    return { finishAt: now + processingMs, basedOn: speed.jobs, fromNow: true };
  }
  return { finishAt: started + processingMs, basedOn: speed.jobs, fromNow: false };
}
