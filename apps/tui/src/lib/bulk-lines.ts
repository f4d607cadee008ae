import type { BulkEvent, BulkSummary } from "@slng/bulk";
import { formatAudioSeconds, formatDuration, isoStamp } from "./format.js";
import { sanitizeDeep } from "./sanitize.js";

/**
 * One timestamped line per input state change (and per run-level event) for logs and pipes;
 * undefined for noise. File names, manifest fields and API errors are shown with control
 * characters (a newline too) made visible, so each event stays one inert line.
 */
export function bulkLine(served: BulkEvent, now: number): string | undefined {
  const e = sanitizeDeep(served);
  const at = isoStamp(now);
  switch (e.type) {
    case "plan": {
      const parts = [`${e.total} input${e.total === 1 ? "" : "s"}`];
      if (e.alreadyDone) parts.push(`${e.alreadyDone} already saved`);
      if (e.resumed) parts.push(`${e.resumed} resumed`);
      if (e.skippedFiles.length)
        parts.push(
          `skipped ${e.skippedFiles.length} non-audio file${e.skippedFiles.length === 1 ? "" : "s"}: ${e.skippedFiles.slice(0, 5).join(", ")}${e.skippedFiles.length > 5 ? ", …" : ""}`,
        );
      return `${at}  plan: ${parts.join(", ")}`;
    }
    case "input": {
      if (e.reason === "earlier run") return undefined;
      const job = e.jobId ? `  job ${e.jobId}` : "";
      const why = e.reason ? ` (${e.reason})` : "";
      const err = e.state === "failed" && e.error ? `: ${e.error}` : "";
      if (e.reason?.startsWith("would ")) return `${at}  ${e.key}  ${e.reason}${job}`;
      return `${at}  ${e.key}  ${e.previous === e.state ? e.state : `${e.previous} → ${e.state}`}${why}${job}${err}`;
    }
    case "rate_limited":
      return `${at}  rate limited (429): waiting ${formatDuration(e.retryAfterMs)}, concurrency ${e.concurrency}`;
    case "concurrency":
      return `${at}  concurrency now ${e.concurrency}`;
    case "warning":
      return `${at}  warning: ${e.message}`;
    case "fatal":
      return `${at}  stopped: ${e.message}`;
    default:
      return undefined;
  }
}

/** Turns events into JSON lines (`{"type", "timestamp", …}`), upload progress at most once per quarter per input. */
export class BulkJsonLines {
  private readonly buckets = new Map<string, number>();

  /** The JSON line of `e`, or undefined when it is throttled away. */
  line(e: BulkEvent, now: number): string | undefined {
    if (e.type === "upload_progress") {
      const bucket = e.total > 0 ? Math.floor((e.loaded / e.total) * 4) : 0;
      if (this.buckets.get(e.key) === bucket) return undefined;
      this.buckets.set(e.key, bucket);
    } else if (e.type === "input") this.buckets.delete(e.key);
    if (e.type === "poll") return undefined;
    return `${JSON.stringify({ type: e.type, timestamp: isoStamp(now), ...withoutType(e) })}\n`;
  }
}

function withoutType(e: BulkEvent): Record<string, unknown> {
  const { type: _, ...rest } = e as BulkEvent & Record<string, unknown>;
  return rest;
}

type Cause = BulkSummary["failed"][number]["cause"];

/** What helps each kind of failure, in this order; `local` failures carry their own advice in the message. */
const ADVICE: [Cause, (n: number) => string][] = [
  ["job", (n) => `Resubmit ${n === 1 ? "the one" : `the ${n}`} the API failed with --retry-failed.`],
  [
    "refused",
    (n) =>
      `The API refused ${n === 1 ? "one file" : `${n} files`} (no job was made): fix or replace ${n === 1 ? "it" : "them"}, then run the same command again.`,
  ],
  [
    "missing",
    (n) =>
      `${n === 1 ? "One file is" : `${n} files are`} missing: restore ${n === 1 ? "it" : "them"} or fix the manifest, then run the same command again.`,
  ],
  [
    "unreadable",
    (n) =>
      `${n === 1 ? "One file" : `${n} files`} could not be read: fix the permissions, then run the same command again.`,
  ],
  [
    "output",
    (n) =>
      `${n === 1 ? "One output path is" : `${n} output paths are`} in the way: move ${n === 1 ? "that file" : "those files"} away, or pass --overwrite.`,
  ],
];

/** One line of advice per kind of failure present (not --retry-failed for what it cannot fix). */
export function failureAdvice(failed: readonly { cause?: Cause }[]): string[] {
  return ADVICE.flatMap(([cause, line]) => {
    const n = failed.filter((f) => (f.cause ?? "job") === cause).length;
    return n > 0 ? [line(n)] : [];
  });
}

/**
 * The closing table: inputs by state, audio done, time, requests, each failure, and where the
 * report is (text made inert). "In flight" counts only jobs the API acknowledged; an upload it
 * never answered is "not started" (a rerun sends it again under the same job id, so it cannot
 * become two jobs).
 */
export function summaryText(served: BulkSummary): string {
  const s = sanitizeDeep(served);
  const c = s.counts;
  const rows: [string, number][] = [
    ["done", c.done],
    ["failed", c.failed],
    ["still in flight", c.queued + c.processing + c.downloading],
    ["not started", c.pending + c.uploading],
  ];
  const lines = [
    "",
    `${"inputs".padEnd(16)} ${String(s.total).padStart(6)}`,
    ...rows.filter(([, n], i) => n > 0 || i < 2).map(([label, n]) => `${label.padEnd(16)} ${String(n).padStart(6)}`),
    `${"audio saved".padEnd(16)} ${formatAudioSeconds(s.audioSecondsDone).padStart(6)}`,
    `${"took".padEnd(16)} ${formatDuration(s.elapsedMs).padStart(6)}  (${s.requests} API requests)`,
  ];
  if (s.failed.length) {
    lines.push("", `Failed (${s.failed.length}):`);
    for (const f of s.failed.slice(0, 50)) lines.push(`  ✗ ${f.key}${f.jobId ? `  job ${f.jobId}` : ""}  ${f.error}`);
    if (s.failed.length > 50) lines.push(`  … and ${s.failed.length - 50} more in the report`);
    lines.push(...failureAdvice(s.failed));
  }
  if (s.fatal) lines.push("", `Stopped: ${s.fatal.message}`);
  if (s.detached && !s.fatal)
    lines.push("", "Detached: the jobs in flight keep running. Run the same command again to resume.");
  if (s.reportPath) lines.push("", `Report: ${s.reportPath}`);
  return `${lines.join("\n")}\n`;
}
