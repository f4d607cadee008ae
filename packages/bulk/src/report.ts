import { join } from "node:path";
import { JobIdMap } from "./job-id-table.js";
import { batched, formatJsonPieces } from "./json-format.js";
import { saveAtomically } from "./save.js";
import { TextBlocks } from "./text-blocks.js";
import { type BulkEvent, type BulkSummary, INPUT_STATES, type InputRecord, type StateCounts } from "./types.js";

/** True when a failed input has no job at the API under its id: its create was refused, or never sent. */
export const noJob = (r: InputRecord): boolean => r.cause === "refused" || r.cause === "unreadable";

const causeOf = (r: InputRecord) => (r.outputConflict ? ("output" as const) : (r.cause ?? "job"));

/**
 * Totals of a run from its records (iterated once): counts by state, failures, audio saved (once
 * per job: identical recordings share one job and count once); `detached` when some are unsettled.
 */
export async function summarize(
  records: Iterable<InputRecord> | AsyncIterable<InputRecord>,
  extra: Pick<BulkSummary, "requests" | "elapsedMs" | "fatal"> & Partial<Pick<BulkSummary, "detached">>,
): Promise<BulkSummary> {
  const counts = Object.fromEntries(INPUT_STATES.map((s) => [s, 0])) as StateCounts;
  const failed: BulkSummary["failed"] = [];
  let audioSecondsDone = 0;
  let total = 0;
  const jobs = new JobIdMap();
  for await (const rec of records) {
    total++;
    counts[rec.state]++;
    if (rec.state === "done" && !(rec.jobId && jobs.has(rec.jobId))) {
      audioSecondsDone += rec.audioSeconds ?? 0;
      if (rec.jobId) jobs.set(rec.jobId);
    }
    if (rec.state === "failed")
      failed.push({
        key: rec.key,
        ...(rec.jobId && !noJob(rec) ? { jobId: rec.jobId } : {}),
        error: rec.error ?? "failed",
        cause: causeOf(rec),
      });
  }
  return {
    total,
    counts,
    failed,
    audioSecondsDone,
    detached: counts.done + counts.failed < total,
    ...extra,
  };
}

/** Name of the report written in the output folder at the end of every run. */
export const REPORT_FILE = "bulk-report.json";

/** One input's line in `bulk-report.json`. */
export interface ReportRow {
  input: string;
  job_id: string | null;
  status: string;
  audio_seconds: number | null;
  processing_seconds: number | null;
  outputs: string[];
  error: string | null;
  /** The first input (in report order) whose job this one shares (identical recording), else null. */
  same_job_as: string | null;
}

/** The rows of the report, in input order (made one at a time as `records` is iterated). */
export async function* reportRows(
  records: Iterable<InputRecord> | AsyncIterable<InputRecord>,
): AsyncGenerator<ReportRow> {
  const first = new JobIdMap();
  const keys = new TextBlocks();
  for await (const r of records) {
    const at = r.jobId ? first.get(r.jobId) : undefined;
    if (r.jobId && at === undefined) first.set(r.jobId, keys.push(r.key));
    yield reportRow(r, at === undefined ? undefined : keys.get(at));
  }
}

function reportRow(r: InputRecord, sameJobAs: string | undefined): ReportRow {
  return {
    input: r.key,
    job_id: r.state === "failed" && noJob(r) ? null : (r.jobId ?? null),
    status: r.state,
    audio_seconds: r.audioSeconds ?? null,
    processing_seconds: r.processingSeconds ?? null,
    outputs: r.saved ?? [],
    error: r.state === "failed" ? (r.error ?? "failed") : null,
    same_job_as: sameJobAs ?? null,
  };
}

/** The totals at the head of `bulk-report.json`: the summary's, named in snake_case like the rows (and the API). */
export type ReportHead = {
  generated_at: string;
  total: number;
  counts: StateCounts;
  audio_seconds_done: number;
  requests: number;
  elapsed_ms: number;
  detached: boolean;
  fatal?: BulkSummary["fatal"];
  failed: { input: string; job_id: string | null; error: string; cause: BulkSummary["failed"][number]["cause"] }[];
};

/** {@link ReportHead} of a summary. */
export const reportHead = (s: BulkSummary): ReportHead => ({
  generated_at: new Date().toISOString(),
  total: s.total,
  counts: s.counts,
  audio_seconds_done: s.audioSecondsDone,
  requests: s.requests,
  elapsed_ms: s.elapsedMs,
  detached: s.detached,
  ...(s.fatal ? { fatal: s.fatal } : {}),
  failed: s.failed.map((f) => ({ input: f.key, job_id: f.jobId ?? null, error: f.error, cause: f.cause })),
});

/**
 * Writes `<out>/bulk-report.json` atomically (totals, then one row per input; formatted as Biome
 * would), streaming the rows from `records`, and returns its path.
 */
export async function writeReport(
  outDir: string,
  summary: BulkSummary,
  records: Iterable<InputRecord> | AsyncIterable<InputRecord>,
): Promise<string> {
  const path = join(outDir, REPORT_FILE);
  await saveAtomically(path, batched(formatJsonPieces(reportHead(summary), "inputs", reportRows(records))));
  return path;
}

/**
 * Ends a run: summarises `records` (an array, or a function that makes them afresh for each
 * pass, at once or page by page, so a large run never holds them all) with the run's request
 * count, time and fatal error, writes the report when `write`, and emits the `summary` event.
 */
export async function finishRun(
  ctx: {
    requests: number;
    started: number;
    fatal: BulkSummary["fatal"];
    o: { outDir: string };
    emit: (e: BulkEvent) => void;
  },
  records: readonly InputRecord[] | (() => Iterable<InputRecord> | AsyncIterable<InputRecord>),
  write: boolean,
  override: Partial<Pick<BulkSummary, "detached">> = {},
): Promise<BulkSummary> {
  const each = typeof records === "function" ? records : () => records;
  const summary = await summarize(each(), {
    ...override,
    requests: ctx.requests,
    elapsedMs: Date.now() - ctx.started,
    ...(ctx.fatal ? { fatal: ctx.fatal } : {}),
  });
  if (write) summary.reportPath = await writeReport(ctx.o.outDir, summary, each());
  ctx.emit({ type: "summary", summary });
  return summary;
}
