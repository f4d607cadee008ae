import type { BulkEvent, BulkSummary, InputState } from "@slng/bulk";
import { FingerprintSet } from "./fingerprint-set.js";

/** One upload in progress, as the view shows it. */
export interface ActiveUpload {
  key: string;
  loaded: number;
  total: number;
}

/** Everything the bulk view draws; built from the engine's events by {@link applyBulkEvent}. */
export interface BulkViewState {
  outDir: string;
  total: number;
  counts: Record<InputState, number>;
  /** Finished (done or failed) before this run started: not part of throughput or ETA. */
  finishedEarlier: number;
  skippedFiles: number;
  /** Audio of the inputs saved, once per job (identical recordings share one job). */
  audioSecondsDone: number;
  /** Jobs whose audio is already counted (fingerprints: a few bytes per job). */
  audioJobs: FingerprintSet;
  /** Audio seconds finished in this run (for throughput). */
  audioSecondsThisRun: number;
  /** Inputs saved in this run whose audio was counted (for the mean length of a recording). */
  audioInputsThisRun: number;
  /** Audio of unfinished inputs, once the API measured it: key → job (or key) and seconds. */
  audioInFlight: Map<string, { job: string; seconds: number }>;
  finishedThisRun: number;
  startedAt: number;
  uploads: Map<string, ActiveUpload>;
  /** Inputs that have had an event (the first one moves an input out of the plan's pending count); fingerprints. */
  seen: FingerprintSet;
  /** The last few failures, newest last. */
  failures: { key: string; error: string }[];
  concurrency?: number;
  rateLimitedUntil?: number;
  fatal?: string;
  summary?: BulkSummary;
  /** The counts come from a shared run's store (`run_progress`): this worker's own events no longer move them. */
  runCounts?: boolean;
  /** Set when the user detached (q) or interrupted (Ctrl+C). */
  stopping?: "detach" | "interrupt";
}

/** A fresh state for a run into `outDir`. */
export function initialBulkState(outDir: string, now: number): BulkViewState {
  return {
    outDir,
    total: 0,
    counts: { pending: 0, uploading: 0, queued: 0, processing: 0, downloading: 0, done: 0, failed: 0 },
    finishedEarlier: 0,
    skippedFiles: 0,
    audioSecondsDone: 0,
    audioJobs: new FingerprintSet(),
    audioSecondsThisRun: 0,
    audioInputsThisRun: 0,
    audioInFlight: new Map(),
    finishedThisRun: 0,
    startedAt: now,
    uploads: new Map(),
    seen: new FingerprintSet(),
    failures: [],
  };
}

const MAX_FAILURES = 5;

/** The audio a done input adds: none when its job (shared with an identical recording) was counted already. */
function newAudio(s: BulkViewState, e: Extract<BulkEvent, { type: "input" }>): number {
  if (e.jobId && !s.audioJobs.add(e.jobId)) return 0;
  return e.audioSeconds ?? 0;
}

function applyInput(s: BulkViewState, e: Extract<BulkEvent, { type: "input" }>): void {
  const earlier = e.reason === "earlier run";
  const from = s.seen.has(e.key) ? e.previous : "pending";
  s.seen.add(e.key);
  if (!s.runCounts) {
    s.counts[from] = Math.max(0, s.counts[from] - 1);
    s.counts[e.state]++;
  }
  if (e.state !== "uploading") s.uploads.delete(e.key);
  const audio = e.state === "done" ? newAudio(s, e) : 0;
  if (e.state === "done" || e.state === "failed") s.audioInFlight.delete(e.key);
  else if (e.audioSeconds !== undefined) s.audioInFlight.set(e.key, { job: e.jobId ?? e.key, seconds: e.audioSeconds });
  if (earlier) {
    s.finishedEarlier++;
    s.audioSecondsDone += audio;
  } else if (e.state === "done") {
    s.finishedThisRun++;
    s.audioSecondsDone += audio;
    s.audioSecondsThisRun += audio;
    if (audio > 0) s.audioInputsThisRun++;
  } else if (e.state === "failed") s.finishedThisRun++;
  if (e.state === "failed") {
    s.failures.push({ key: e.key, error: e.error ?? "failed" });
    if (s.failures.length > MAX_FAILURES) s.failures.shift();
  }
}

/** Applies one engine event to the view state (in place) and returns it. */
export function applyBulkEvent(s: BulkViewState, e: BulkEvent, now: number): BulkViewState {
  switch (e.type) {
    case "plan":
      s.total = e.total;
      s.counts.pending = e.total;
      s.skippedFiles = e.skippedFiles.length;
      break;
    case "input":
      applyInput(s, e);
      break;
    case "upload_progress":
      s.uploads.set(e.key, { key: e.key, loaded: e.loaded, total: e.total });
      break;
    case "rate_limited":
      s.rateLimitedUntil = now + e.retryAfterMs;
      s.concurrency = e.concurrency;
      break;
    case "concurrency":
      s.concurrency = e.concurrency;
      break;
    case "fatal":
      s.fatal = e.message;
      break;
    case "run_progress":
      s.runCounts = true;
      s.total = e.total;
      s.counts = { ...e.counts };
      break;
    case "summary":
      s.summary = e.summary;
      s.total = e.summary.total;
      s.counts = { ...e.summary.counts };
      break;
  }
  return s;
}

/** Audio hours per hour of wall time in this run, once there is something to measure. */
export function throughput(s: BulkViewState, now: number): number | undefined {
  const hours = (now - s.startedAt) / 3_600_000;
  return s.audioSecondsThisRun > 0 && hours > 0 ? s.audioSecondsThisRun / 3600 / hours : undefined;
}

/**
 * Estimated ms left: the audio still to transcribe at this run's audio rate so far. An input in
 * flight counts with its measured audio (a long recording still running keeps the ETA long), one
 * not measured yet with the mean of those saved in this run. Undefined while nothing with audio
 * was saved in this run (no rate to go by) or nothing is left.
 */
export function estimateMsLeft(s: BulkViewState, now: number): number | undefined {
  const left = s.total - s.counts.done - s.counts.failed;
  const elapsed = now - s.startedAt;
  if (left <= 0 || s.audioSecondsThisRun <= 0 || elapsed <= 0) return undefined;
  const jobs = new Map<string, number>();
  for (const a of s.audioInFlight.values()) jobs.set(a.job, a.seconds);
  const known = [...jobs.values()].reduce((sum, seconds) => sum + seconds, 0);
  const unmeasured = Math.max(0, left - s.audioInFlight.size);
  const audioLeft = known + unmeasured * (s.audioSecondsThisRun / s.audioInputsThisRun);
  return audioLeft / (s.audioSecondsThisRun / elapsed);
}
