import type { BatchJob } from "@slng/types";
import { parseTime } from "./format.js";

/** How fast this account's jobs have been processed lately: a fixed cost per job plus a rate per audio second. */
export interface SpeedSample {
  /** Processing seconds per second of audio (started → completed), net of the per-job overhead. */
  secondsPerAudioSecond: number;
  /** Seconds each job takes whatever its length (queue hand-offs, stage start-up); 0 when it cannot be told apart. */
  overheadSeconds: number;
  /** How many finished jobs the estimate is drawn from. */
  jobs: number;
}

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
};

/**
 * Measures processing speed from recent finished jobs. Each DONE job with a start, a completion
 * and an audio duration is a point (duration, seconds taken). When the durations differ enough
 * (longest ≥ 1.5 × shortest) a least-squares line `taken = overhead + rate × duration` separates
 * the fixed per-job cost from the rate, so short clips (mostly overhead) do not inflate the
 * estimate for long ones. Otherwise, or when the line is implausible (rate ≤ 0), it is the
 * median seconds per audio second with no overhead. Undefined when no job has the data.
 */
export function measureSpeed(jobs: readonly BatchJob[]): SpeedSample | undefined {
  const points: { d: number; t: number }[] = [];
  for (const job of jobs) {
    if (job.status !== "DONE") continue;
    const started = parseTime(job.started_at);
    const completed = parseTime(job.completed_at);
    const duration = job.input_metadata?.duration_seconds;
    if (started === undefined || completed === undefined || !duration || duration <= 0 || completed < started) continue;
    points.push({ d: duration, t: (completed - started) / 1000 });
  }
  if (points.length === 0) return undefined;
  const ds = points.map((p) => p.d);
  if (points.length >= 2 && Math.max(...ds) >= 1.5 * Math.min(...ds)) {
    const md = ds.reduce((a, b) => a + b, 0) / points.length;
    const mt = points.reduce((a, p) => a + p.t, 0) / points.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of points) {
      sxy += (p.d - md) * (p.t - mt);
      sxx += (p.d - md) ** 2;
    }
    const rate = sxy / sxx;
    const overhead = mt - rate * md;
    if (rate > 0 && overhead >= 0)
      return { secondsPerAudioSecond: rate, overheadSeconds: overhead, jobs: points.length };
    if (rate > 0) {
      const through0 = points.reduce((a, p) => a + p.d * p.t, 0) / points.reduce((a, p) => a + p.d * p.d, 0);
      return { secondsPerAudioSecond: through0, overheadSeconds: 0, jobs: points.length };
    }
  }
  return { secondsPerAudioSecond: median(points.map((p) => p.t / p.d)), overheadSeconds: 0, jobs: points.length };
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
 * Estimates completion: the per-job overhead plus audio duration × the account's recent rate, counted from
 * `started_at` (or from `now` while queued). Undefined when the job has no audio duration, no
 * speed data exists, or the job is terminal — the view then shows no ETA at all.
 */
export function estimateFinish(job: BatchJob, speed: SpeedSample | undefined, now: number): Eta | undefined {
  if (!speed) return undefined;
  if (job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED") return undefined;
  const duration = job.input_metadata?.duration_seconds;
  if (!duration || duration <= 0) return undefined;
  const processingMs = (speed.overheadSeconds + duration * speed.secondsPerAudioSecond) * 1000;
  const started = parseTime(job.started_at);
  if (job.status === "QUEUED" || started === undefined) {
    return { finishAt: now + processingMs, basedOn: speed.jobs, fromNow: true };
  }
  return { finishAt: started + processingMs, basedOn: speed.jobs, fromNow: false };
}
