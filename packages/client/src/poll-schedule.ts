import type { JobStatus } from "@slng/types";

/** The stages in which a job is processed (after QUEUED, before DONE), in order. */
export const PROCESSING_STAGES = ["IN_PROGRESS", "DECODING", "POST_PROCESSING"] as const;
/** One of {@link PROCESSING_STAGES}. */
export type ProcessingStage = (typeof PROCESSING_STAGES)[number];
/** Share of a job's processing time each stage takes. */
export type StageShares = Record<ProcessingStage, number>;

/**
 * The model used until the client has seen jobs finish: decoding takes most of the processing
 * time, with shorter preparation and post-processing stages on either side (0.1, 0.7 and 0.15,
 * each divided by their sum 0.95). Replaced by the shares measured on finished jobs
 * (`learnShares`). Written as literals: a division at the top level would keep this object in
 * every bundle, even one that never waits.
 */
export const PRIOR_SHARES: StageShares = {
  IN_PROGRESS: 0.10526315789473685,
  DECODING: 0.7368421052631579,
  POST_PROCESSING: 0.15789473684210525,
};

/** What a waiter knows after a poll, on the local clock (ms). */
export interface JobTimeline {
  status: JobStatus;
  /** When the job was submitted (`submitted_at`). */
  submittedAt: number;
  /** When processing began (`started_at`), if it has. */
  startedAt: number;
  /** When each stage began, for the stages whose start is known. */
  stageStarts: Partial<Record<ProcessingStage, number>>;
  /** The audio's length, if measured. */
  durationSeconds: number | undefined;
}

/** Tuning of {@link planNextPoll}. */
export interface ScheduleLimits {
  /** Shortest gap between polls (brisk polling around a predicted end). */
  minMs: number;
  /** Shortest gap while nothing predicts the end. */
  uninformedMs: number;
  /** Longest gap while nothing predicts the end. */
  maxMs: number;
  /** Longest single sleep on a prediction. */
  maxPredictedMs: number;
  /**
   * Aim at the end of the current stage rather than of the job: for a watch that shows every
   * stage as it happens, where a wait only needs the end.
   */
  untilStage?: boolean;
}

/** The position of `status` in {@link PROCESSING_STAGES}; -1 when it is not a processing stage. */
export const stageIndex = (status: JobStatus): number => (PROCESSING_STAGES as readonly string[]).indexOf(status);

/** A prediction of a job's processing time (from `started_at` to completion), in ms. */
export interface Prediction {
  totalMs: number;
  /** How much observed processing it rests on, in ms (Infinity for a known rate). */
  evidenceMs: number;
}

/** Sleep this share of the predicted time left when the evidence is thin … */
const SLEEP_LOW = 0.5;
/** … rising towards this one as it grows: short stages are dominated by fixed overheads. */
const SLEEP_HIGH = 0.9;
/** Evidence at which the sleeping share is half-way between the two. */
const TRUST_HALF_MS = 2000;

/** The share of processing done by the end of stage number `stage` (0 before the first). */
function shareThrough(stage: number, shares: StageShares): number {
  let through = 0;
  for (let i = 0; i <= stage; i++) through += shares[PROCESSING_STAGES[i] as ProcessingStage];
  return through;
}

/**
 * The processing time to expect: from the rate (seconds of processing per second of audio)
 * when one is known, else scaled from how long the stages before the current one took (from
 * `started_at` to the current stage's start), else undefined. Never less than what the job
 * has visibly taken so far, for a scaled prediction before the last stage (than the current
 * stage's share implies), unless `stretch` is false.
 */
export function predictProcessing(
  job: JobTimeline,
  now: number,
  shares: StageShares,
  rtf: number | undefined,
  stretch = true,
): Prediction | undefined {
  const current = stageIndex(job.status);
  if (current < 0 || Number.isNaN(job.startedAt)) return undefined;
  let prediction: Prediction | undefined;
  if (rtf && job.durationSeconds) prediction = { totalMs: job.durationSeconds * rtf * 1000, evidenceMs: Infinity };
  else {
    // From `started_at` to the current stage's start, against the share of the stages before it.
    const took =
      (current ? (job.stageStarts[job.status as ProcessingStage] ?? Number.NaN) : Number.NaN) - job.startedAt;
    const before = shareThrough(current - 1, shares);
    if (took > 0 && before > 0) prediction = { totalMs: took / before, evidenceMs: took };
  }
  // A stage that has outlasted its share stretches a scaled prediction, up to the last stage;
  // past that (or with a known rate) an overrun shows as time left < 0, and the caller backs off.
  if (!prediction || !stretch || prediction.evidenceMs === Infinity || current === PROCESSING_STAGES.length - 1)
    return prediction;
  prediction.totalMs = Math.max(prediction.totalMs, (now - job.startedAt) / shareThrough(current, shares));
  return prediction;
}

/**
 * The gap before the next poll of a job that is not final yet, using what the API said: the
 * stage it is in, when processing and that stage began, and the audio's length.
 *
 * With a predicted completion time (or, with `untilStage`, the end of the current stage) it sleeps most of the way there — more of it the more
 * processing the prediction rests on — and re-predicts at each poll (each stage's start refines
 * the estimate), polls briskly around the predicted end, and backs off geometrically once the
 * prediction is overrun. Without one (queued, or in the first processing stage for a client
 * that has seen no job finish) it waits as long as the job has existed, within
 * `uninformedMs`..`maxMs`, so it never polls faster than the job visibly moves.
 */
export function planNextPoll(
  job: JobTimeline,
  now: number,
  limits: ScheduleLimits,
  shares: StageShares,
  rtf: number | undefined,
): number {
  const { minMs, maxMs, maxPredictedMs } = limits;
  const clamp = (ms: number, hi: number) => Math.min(hi, Math.max(minMs, ms));
  const prediction = predictProcessing(job, now, shares, rtf, !limits.untilStage);
  if (!prediction) {
    const age = now - (Number.isNaN(job.submittedAt) ? now : job.submittedAt);
    return Math.min(maxMs, Math.max(limits.uninformedMs, age));
  }
  const { totalMs, evidenceMs } = prediction;
  const share = limits.untilStage ? shareThrough(stageIndex(job.status), shares) : 1;
  const remaining = job.startedAt + totalMs * share - now;
  const brisk = clamp(totalMs * 0.02, maxMs);
  const trust = evidenceMs === Infinity ? 1 : evidenceMs / (evidenceMs + TRUST_HALF_MS);
  if (remaining > 3 * brisk) return clamp(remaining * (SLEEP_LOW + (SLEEP_HIGH - SLEEP_LOW) * trust), maxPredictedMs);
  if (remaining > 0) return clamp(remaining + brisk * Math.max(0.1, 0.25 * (1 - trust)), maxMs);
  if (remaining > -brisk) return brisk;
  return clamp(-remaining * 0.5, maxMs);
}
