import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { OutputFormat } from "@slng/types";
import { outputStem } from "./inputs.js";
import { hashFile } from "./job-id.js";
import type { BulkInput, InputRecord } from "./types.js";

/** What a run does with one input, decided from the journal and the disk before any request. */
export type Action = "upload" | "resume" | "await" | "download" | "skip" | "keep-failed" | "retry" | "missing";

/** The decision for one input, with the record the run starts from. */
export interface Decision {
  action: Action;
  record: InputRecord;
  /** `changed` when the file differs from the one recorded (new work). */
  reason?: string;
  /** Set when the file was touched or copied but its bytes are the ones recorded: its new size and time, to record. */
  refreshed?: Pick<InputRecord, "key" | "size" | "mtimeMs">;
}

/** `<out>/<key without extension>.<format>`. */
export const outputPath = (outDir: string, key: string, format: OutputFormat): string =>
  join(outDir, `${outputStem(key)}.${format}`);

const exists = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * Decides what to do with `input` given its journal record: saved outputs are skipped, jobs in
 * flight awaited, a create whose answer was never recorded re-sent with the same id (the server
 * refuses a duplicate), FAILED ones kept unless `retryFailed`. An input is its content: a file
 * whose size or time changed is hashed again, and only different bytes make it new work
 * (`changed`); the same bytes (a copy, a touch) keep its record (`refreshed`).
 */
export async function decide(
  input: BulkInput,
  prior: InputRecord | undefined,
  outDir: string,
  formats: readonly OutputFormat[],
  retryFailed: boolean,
): Promise<Decision> {
  let record: InputRecord = prior ?? { key: input.key, state: "pending" };
  let reason: string | undefined;
  let refreshed: Decision["refreshed"];
  if (input.path) {
    const info = await stat(input.path).catch(() => undefined);
    if (!info?.isFile()) return { action: "missing", record: { ...record, state: "failed" } };
    if (record.sha256 && (record.size !== info.size || record.mtimeMs !== info.mtimeMs)) {
      const sha256 = info.size === record.size ? await hashFile(input.path).catch(() => undefined) : undefined;
      if (sha256 === record.sha256) {
        refreshed = { key: input.key, size: info.size, mtimeMs: info.mtimeMs };
        record = { ...record, ...refreshed };
      } else {
        record = { key: input.key, state: "pending", ...(record.attempt ? { attempt: record.attempt } : {}) };
        reason = "changed";
      }
    }
  }
  const decision = await decideByState(input, record, outDir, formats, retryFailed);
  if (refreshed) decision.refreshed = refreshed;
  return reason && decision.action === "upload" ? { ...decision, reason } : decision;
}

async function decideByState(
  input: BulkInput,
  record: InputRecord,
  outDir: string,
  formats: readonly OutputFormat[],
  retryFailed: boolean,
): Promise<Decision> {
  switch (record.state) {
    case "done": {
      const saved = await Promise.all(formats.map((f) => exists(outputPath(outDir, input.key, f))));
      const all = saved.every(Boolean) && formats.every((f) => record.saved?.includes(f));
      return all ? { action: "skip", record } : { action: "download", record };
    }
    case "downloading":
      return { action: "download", record };
    case "queued":
    case "processing":
      return { action: "await", record, reason: "resumed" };
    case "uploading":
      return { action: "resume", record, reason: "resumed" };
    case "failed":
      if (!retryFailed || !record.jobId) return { action: record.jobId ? "keep-failed" : "upload", record };
      return {
        action: "retry",
        record: { key: record.key, state: "pending", attempt: (record.attempt ?? 0) + 1, ...fileFields(record) },
        reason: "retry",
      };
    default:
      return { action: "upload", record };
  }
}

function fileFields(r: InputRecord): Partial<InputRecord> {
  return {
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    ...(r.size !== undefined ? { size: r.size } : {}),
    ...(r.mtimeMs !== undefined ? { mtimeMs: r.mtimeMs } : {}),
  };
}
