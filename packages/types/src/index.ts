/**
 * @slng/types — TypeScript types and runtime constants for SLNG's Batch API.
 *
 * Everything here is generated from `spec/openapi.yaml` (see `./generated/`), except the
 * small typed aliases and guards below, which only re-shape generated values.
 */
import { JOB_ID_PATTERN_SOURCE } from "./generated/constants.gen.js";
import {
  audioFormatValues,
  diarizationValues,
  type JobStatus,
  jobSortFieldValues,
  jobStatusValues,
  type OutputFormat,
  operatingPointValues,
  outputFormatValues,
  sortOrderValues,
  type TerminalJobStatus,
  terminalJobStatusValues,
} from "./generated/openapi.gen.js";

export * from "./generated/constants.gen.js";
export * from "./generated/openapi.gen.js";

/** All seven job statuses, in lifecycle order (from the spec's `JobStatus` enum). */
export const JOB_STATUSES: readonly JobStatus[] = jobStatusValues;

/** The statuses at which processing has ended: `DONE` and `FAILED` (the spec's `TerminalJobStatus`). */
export const TERMINAL_STATUSES: readonly TerminalJobStatus[] = terminalJobStatusValues;

/** Transcript output formats: `json`, `txt`, `srt` (the spec's `OutputFormat`). */
export const OUTPUT_FORMATS: readonly OutputFormat[] = outputFormatValues;

/** Audio formats the service accepts (the spec's `AudioFormat`). */
export const AUDIO_FORMATS: typeof audioFormatValues = audioFormatValues;

/** Values of `transcription_config.operating_point`. */
export const OPERATING_POINTS: typeof operatingPointValues = operatingPointValues;

/** Values of `transcription_config.diarization`. */
export const DIARIZATION_MODES: typeof diarizationValues = diarizationValues;

/** Fields the job list can be sorted by. */
export const SORT_FIELDS: typeof jobSortFieldValues = jobSortFieldValues;

/** Sort directions of the job list. */
export const SORT_ORDERS: typeof sortOrderValues = sortOrderValues;

/** The job id rule of the API (`^[a-zA-Z0-9]+$`), as a RegExp. */
export const JOB_ID_PATTERN: RegExp = new RegExp(JOB_ID_PATTERN_SOURCE);

/** True when `value` is one of the seven job statuses. */
export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === "string" && (JOB_STATUSES as readonly string[]).includes(value);
}

/** True when `status` is `DONE` or `FAILED`: processing has ended and the job may be deleted. */
export function isTerminalStatus(status: unknown): status is TerminalJobStatus {
  return typeof status === "string" && (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** True when `value` is a valid job id (letters and digits only). */
export function isJobId(value: unknown): value is string {
  return typeof value === "string" && JOB_ID_PATTERN.test(value);
}

/** True when `value` is one of the output formats (`json`, `txt`, `srt`). */
export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === "string" && (OUTPUT_FORMATS as readonly string[]).includes(value);
}
