import { connectionDetail, connectionProblem } from "./errors.js";
import { formatClock, formatDuration, isoStamp, parseTime } from "./format.js";
import { paintStatus } from "./plain-color.js";
import { sanitizeWatchState } from "./sanitize.js";
import type { WatchController, WatchState } from "./watch-controller.js";

/** One event of the `--json` stream (one object per line, each with `type` and `timestamp`). */
export type JsonEvent =
  | { type: "status"; timestamp: string; job_id: string; status: string; previous_status: string | null; job: unknown }
  | {
      type: "connection";
      timestamp: string;
      job_id: string;
      state: "retrying" | "ok";
      detail?: string;
      retry_in_ms?: number;
    }
  | {
      type: "upload_progress";
      timestamp: string;
      phase: string;
      loaded: number;
      total: number;
      percent: number;
      bytes_per_second?: number;
      seconds_left?: number;
    }
  | { type: "submitted"; timestamp: string; job_id: string; status: string }
  | {
      type: "result";
      timestamp: string;
      job_id: string;
      status: string | null;
      exit_code: number;
      reason: string;
      outputs?: string[];
      error?: string | null;
    }
  | { type: "error"; timestamp: string; exit_code: number; message: string };

/** While the API stays unreachable, repeat the "retrying" line at most this often. */
const RETRY_HEARTBEAT_MS = 15_000;

/** Serialises a JSON event as one line. */
export function jsonLine(event: JsonEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/**
 * Renders a watch without a terminal UI: append-only lines, one per status change or
 * connection change, each timestamped (like `kubectl get -w`), and a final summary; or with
 * `json`, one {@link JsonEvent} per line (as served); the lines show text from the API with its
 * control characters made visible. Never reads the keyboard.
 */
export function attachLineRenderer(
  controller: WatchController,
  write: (text: string) => void,
  opts: { json: boolean; now?: () => number; color?: boolean },
): () => void {
  const now = opts.now ?? Date.now;
  let lastStatus: string | undefined;
  let lastConnection: WatchState["connection"]["status"] = "connecting";
  let lastRetryLine = 0;
  let ended = false;
  const id = controller.jobId;

  const onState = (served: WatchState) => {
    const state = opts.json ? served : sanitizeWatchState(served);
    const t = now();
    const stamp = isoStamp(t);
    const job = state.job;
    const c = state.connection;
    if (c.status === "retrying" && (lastConnection !== "retrying" || t - lastRetryLine >= RETRY_HEARTBEAT_MS)) {
      lastRetryLine = t;
      const retryIn = c.retryAt !== undefined ? Math.max(0, c.retryAt - t) : undefined;
      if (opts.json) {
        write(
          jsonLine({
            type: "connection",
            timestamp: stamp,
            job_id: id,
            state: "retrying",
            ...(c.detail ? { detail: c.detail } : {}),
            ...(retryIn !== undefined ? { retry_in_ms: retryIn } : {}),
          }),
        );
      } else {
        write(
          `${stamp}  ${id}  retrying    ${connectionProblem(c.detail)}${c.detail ? ` (${connectionDetail(c.detail)})` : ""}${retryIn !== undefined ? `, retrying in ${Math.max(1, Math.ceil(retryIn / 1000))} s` : ""}\n`,
        );
      }
    } else if (c.status === "ok" && lastConnection === "retrying") {
      if (opts.json) write(jsonLine({ type: "connection", timestamp: stamp, job_id: id, state: "ok" }));
      else write(`${stamp}  ${id}  reconnected\n`);
    }
    lastConnection = c.status;
    if (job && job.status !== lastStatus) {
      if (opts.json) {
        write(
          jsonLine({
            type: "status",
            timestamp: stamp,
            job_id: id,
            status: job.status,
            previous_status: lastStatus ?? null,
            job,
          }),
        );
      } else {
        write(
          `${stamp}  ${id}  ${paintStatus(job.status.padEnd(16), job.status, opts.color === true)}${statusDetail(state, t)}\n`,
        );
      }
      lastStatus = job.status;
    }
    if (state.outcome && !ended) {
      ended = true;
      const outputs = state.outputs?.map((o) => o.format);
      if (opts.json) {
        write(
          jsonLine({
            type: "result",
            timestamp: stamp,
            job_id: id,
            status: job?.status ?? null,
            exit_code: state.outcome.code,
            reason: state.outcome.reason,
            ...(outputs ? { outputs } : {}),
            error: job?.error_message?.message ?? null,
          }),
        );
      } else {
        write(summary(state, opts.color === true));
      }
    }
  };
  const unsubscribe = controller.subscribe(onState);
  onState(controller.getState());
  return unsubscribe;
}

/** What a DELETED job's line says: when it was deleted, and that its files went with it. */
function deletedDetail(deletedAt: string | null | undefined): string {
  const at = parseTime(deletedAt ?? undefined);
  return `the job was deleted${at !== undefined ? ` at ${isoStamp(at)}` : ""}, and its transcript and files with it`;
}

function statusDetail(state: WatchState, now: number): string {
  const job = state.job;
  if (!job) return "";
  if (job.status === "DELETED") return deletedDetail(job.deleted_at);
  const stages = state.timeline.stages;
  const before = stages.slice(0, -1);
  const skipped = before.filter(
    (s) => s.approximate && s.startedAt !== undefined && s.endedAt !== undefined && s.endedAt - s.startedAt < 50,
  );
  const prev = [...before].reverse().find((s) => !skipped.includes(s));
  const parts: string[] = [];
  if (job.status === "QUEUED" || stages.length === 1) {
    const d = job.input_metadata?.duration_seconds;
    if (d !== undefined) parts.push(`${d.toFixed(1)} s of audio`);
  }
  if (prev?.startedAt !== undefined && prev.endedAt !== undefined) {
    parts.push(`${prev.status} took ${prev.approximate ? "≤ " : ""}${formatDuration(prev.endedAt - prev.startedAt)}`);
  }
  if (skipped.length > 0 && stages.length > 1)
    parts.push(`${skipped.map((s) => s.status).join(", ")} not observed separately`);
  if (job.status === "FAILED") parts.push(`error: ${job.error_message?.message ?? "no message"}`);
  const submitted = parseTime(job.submitted_at);
  if ((job.status === "DONE" || job.status === "FAILED") && submitted !== undefined) {
    parts.push(`total ${formatClock((parseTime(job.completed_at) ?? now) - submitted)}`);
  }
  return parts.join(", ");
}

function summary(state: WatchState, color: boolean): string {
  const outcome = state.outcome;
  if (!outcome) return "";
  const mark = paintStatus(outcome.code === 0 ? "✓" : "✗", outcome.code === 0 ? "DONE" : "FAILED", color);
  const reason =
    state.job?.status === "DELETED" && outcome.reason === "DELETED"
      ? "DELETED (nothing left to watch)"
      : outcome.reason;
  const lines = [`${mark} ${state.jobId}: ${reason} (exit code ${outcome.code})`];
  if (state.outputs?.length) lines.push(`  outputs: ${state.outputs.map((o) => o.format).join(", ")}`);
  if (state.transcript !== undefined) {
    const first = state.transcript
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "")
      .slice(0, 3);
    for (const line of first) lines.push(`  │ ${line.length > 100 ? `${line.slice(0, 99)}…` : line}`);
    lines.push(`  full transcript: slng-batch transcript ${state.jobId}`);
  }
  if (state.transcriptError) lines.push(`  transcript not loaded: ${state.transcriptError}`);
  return `${lines.join("\n")}\n`;
}
