import { lstat, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { OutputFormat } from "@slng/types";
import { outputStem } from "./inputs.js";
import { hashFile } from "./job-id.js";
import { checkInside, OutputConflictError } from "./save.js";
import type { BulkInput, InputRecord } from "./types.js";

/** What a run does with one input, decided from the journal and the disk before any request. */
export type Action =
  | "upload"
  | "resume"
  | "await"
  | "download"
  | "skip"
  | "keep-failed"
  | "retry"
  | "missing"
  | "conflict";

/** The decision for one input, with the record the run starts from. */
export interface Decision {
  action: Action;
  record: InputRecord;
  /** `changed` when the file differs from the one recorded (new work); for `conflict`, what is in the way. */
  reason?: string;
  /** Set when the file was touched or copied but its bytes are the ones recorded: its new size and time, to record. */
  refreshed?: Pick<InputRecord, "key" | "size" | "mtimeMs">;
}

/** `<out>/<key without extension>.<format>`. */
export const outputPath = (outDir: string, key: string, format: OutputFormat): string =>
  join(outDir, `${outputStem(key)}.${format}`);

/** True when `p` is a regular file (a symlink there is not one of ours). */
const exists = (p: string) =>
  lstat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/** The formats whose output path this input owns: saved by an earlier run, or claimed before a write began. */
export const ownedFormats = (r: InputRecord): OutputFormat[] => [
  ...new Set([...(r.saved ?? []), ...(r.claimed ?? [])]),
];

/**
 * Why bulk may not write `path`, or undefined when it may: its folder leads outside `outDir` by
 * real path, or it holds anything (a file, a folder, a symlink) that bulk may not replace
 * (`mayReplace`: this run's record says it wrote it, or `--overwrite`).
 */
export async function pathConflict(outDir: string, path: string, mayReplace: boolean): Promise<string | undefined> {
  try {
    await checkInside(outDir, path);
  } catch (e) {
    if (e instanceof OutputConflictError) return e.message;
    throw e;
  }
  if (mayReplace) return undefined;
  const taken = await lstat(path).then(
    () => true,
    () => false,
  );
  return taken
    ? `${path} exists and was not written by this bulk run; skipped — move it away, or pass --overwrite to replace it`
    : undefined;
}

/** The first {@link pathConflict} among the outputs of `key`; none while `outDir` does not exist yet. */
export async function outputConflict(
  outDir: string,
  key: string,
  formats: readonly OutputFormat[],
  owned: readonly OutputFormat[],
  overwrite: boolean,
): Promise<string | undefined> {
  if (!(await realpath(outDir).catch(() => undefined))) return undefined;
  for (const format of formats) {
    const conflict = await pathConflict(outDir, outputPath(outDir, key, format), overwrite || owned.includes(format));
    if (conflict) return conflict;
  }
  return undefined;
}

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
  overwrite = false,
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
        record = {
          key: input.key,
          state: "pending",
          ...(record.attempt ? { attempt: record.attempt } : {}),
          ...ownership(record),
        };
        reason = "changed";
      }
    }
  }
  let decision = await decideByState(input, record, outDir, formats, retryFailed);
  if (reason && decision.action === "upload") decision.reason = reason;
  if (decision.action === "upload" || decision.action === "retry") {
    const conflict = await outputConflict(outDir, input.key, formats, ownedFormats(decision.record), overwrite);
    if (conflict) decision = { action: "conflict", record: decision.record, reason: conflict };
  }
  if (refreshed) decision.refreshed = refreshed;
  return decision;
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
      const onDisk = await Promise.all(formats.map((f) => exists(outputPath(outDir, input.key, f))));
      const saved = (record.saved ?? []).filter((f) => onDisk[formats.indexOf(f)] !== false);
      if (formats.every((f) => saved.includes(f))) return { action: "skip", record };
      return { action: "download", record: { ...record, saved, ...ownership(record) } };
    }
    case "downloading":
      return { action: "download", record };
    case "queued":
    case "processing":
      return { action: "await", record, reason: "resumed" };
    case "uploading":
      return { action: "resume", record, reason: "resumed" };
    case "failed":
      if (record.outputConflict && record.jobId) return { action: "download", record, reason: "resumed" };
      if (!retryFailed || !record.jobId) return { action: record.jobId ? "keep-failed" : "upload", record };
      return {
        action: "retry",
        record: {
          key: record.key,
          state: "pending",
          attempt: (record.attempt ?? 0) + 1,
          ...fileFields(record),
          ...ownership(record),
        },
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

function ownership(r: InputRecord): Partial<InputRecord> {
  const owned = ownedFormats(r);
  return owned.length ? { claimed: owned } : {};
}
