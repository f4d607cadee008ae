import type { JobSortField, JobStatus, OutputConfig, SortOrder, TranscriptionConfig } from "@slng/types";
import {
  DEFAULT_MODEL_CODE,
  DIARIZATION_MODES,
  JOB_ID_MAX_LENGTH,
  JOB_ID_PATTERN,
  JOB_STATUSES,
  MAX_PAGE,
  OPERATING_POINTS,
  PAGE_SIZE,
  SORT_FIELDS,
  SORT_ORDERS,
  SRT_OVERRIDE_MAX,
} from "@slng/types";
import { ApiError } from "./errors.js";
import { limitJsonField } from "./json-limits.js";

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (message: string) => new ApiError(400, message);

/** Model codes this emulator accepts (only the API's default model). */
export const SUPPORTED_MODEL_CODES: readonly string[] = [DEFAULT_MODEL_CODE];

/** Replaces ASCII control characters (0–31, 127) with `replacement`. */
function stripControl(value: string, replacement: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    out += code < 32 || code === 127 ? replacement : ch;
  }
  return out;
}

/** Shortens a user-supplied value for an error message (never echo megabytes back). */
export function quote(value: unknown): string {
  const s = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const clean = stripControl(s, "?");
  return `'${clean.length > 60 ? `${clean.slice(0, 57)}...` : clean}'`;
}

/** Checks a job id against `^[a-zA-Z0-9]+$` and the emulator's length limit (`maxLength` in the spec); 400 otherwise. */
export function validateJobId(value: unknown, field = "job_id"): string {
  if (typeof value !== "string" || !JOB_ID_PATTERN.test(value)) {
    throw bad(`${field} must be alphanumeric (letters and digits only), got ${quote(value)}`);
  }
  if (value.length > JOB_ID_MAX_LENGTH) {
    throw bad(`${field} is too long: at most ${JOB_ID_MAX_LENGTH} characters (an emulator limit), got ${value.length}`);
  }
  return value;
}

/** Checks `model_code`: only the default model is served; the message names the allowed values. */
export function validateModelCode(value: unknown): string {
  if (value === undefined) return DEFAULT_MODEL_CODE;
  const known = SUPPORTED_MODEL_CODES.find((code) => code === value);
  if (known === undefined) {
    throw bad(`Unsupported model_code ${quote(value)}. Allowed: ${SUPPORTED_MODEL_CODES.join(", ")}`);
  }
  return known;
}

function checkEnum(field: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw bad(`Invalid ${field} ${quote(value)}. Allowed values: ${allowed.join(", ")}`);
  }
}

function checkString(field: string, value: unknown): void {
  if (typeof value !== "string") throw bad(`${field} must be a string`);
}

function checkStringArray(field: string, value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw bad(`${field} must be an array of strings`);
}

/** Validates `transcription_config` (the spec's `TranscriptionConfig`); every field optional, unknown fields kept. */
export function validateTranscriptionConfig(raw: unknown): TranscriptionConfig {
  if (raw === undefined) throw bad('transcription_config is required, e.g. {"language": "en"}');
  const value = limitJsonField("transcription_config", raw);
  if (!isObject(value)) throw bad('transcription_config must be a JSON object, e.g. {"language": "en"}');
  if (value.language !== undefined) {
    checkString("transcription_config.language", value.language);
    if (!(value.language as string).trim()) throw bad("transcription_config.language must not be empty");
  }
  if (value.operating_point !== undefined) {
    checkEnum("transcription_config.operating_point", value.operating_point, OPERATING_POINTS);
  }
  if (value.diarization !== undefined)
    checkEnum("transcription_config.diarization", value.diarization, DIARIZATION_MODES);
  if (value.domain !== undefined) checkString("transcription_config.domain", value.domain);
  if (value.output_locale !== undefined) checkString("transcription_config.output_locale", value.output_locale);
  if (value.enable_entities !== undefined && typeof value.enable_entities !== "boolean") {
    throw bad("transcription_config.enable_entities must be true or false");
  }
  if (value.additional_vocab !== undefined) {
    if (!Array.isArray(value.additional_vocab)) throw bad("transcription_config.additional_vocab must be an array");
    value.additional_vocab.forEach((entry, i) => {
      const where = `transcription_config.additional_vocab[${i}]`;
      if (!isObject(entry) || typeof entry.content !== "string")
        throw bad(`${where} must be an object with a string content`);
      if (entry.sounds_like !== undefined) checkStringArray(`${where}.sounds_like`, entry.sounds_like);
    });
  }
  return value as TranscriptionConfig;
}

/** Validates `tracking` (title, reference, tags, details). */
export function validateTracking(raw: unknown): Obj {
  const value = limitJsonField("tracking", raw);
  if (!isObject(value)) throw bad("tracking must be a JSON object");
  if (value.title !== undefined) checkString("tracking.title", value.title);
  if (value.reference !== undefined) checkString("tracking.reference", value.reference);
  if (value.tags !== undefined) checkStringArray("tracking.tags", value.tags);
  if (value.details !== undefined) checkString("tracking.details", value.details);
  return value;
}

/** Validates `output_config` (`srt_overrides.max_line_length`/`max_lines`: integers from 1 to the spec's maximum). */
export function validateOutputConfig(raw: unknown): OutputConfig {
  const value = limitJsonField("output_config", raw);
  if (!isObject(value)) throw bad("output_config must be a JSON object");
  const srt = value.srt_overrides;
  if (srt !== undefined) {
    if (!isObject(srt)) throw bad("output_config.srt_overrides must be a JSON object");
    for (const key of ["max_line_length", "max_lines"] as const) {
      const n = srt[key];
      if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > SRT_OVERRIDE_MAX)) {
        throw bad(`output_config.srt_overrides.${key} must be an integer from 1 to ${SRT_OVERRIDE_MAX}`);
      }
    }
  }
  return value as OutputConfig;
}

/** Validates `metadata` (any object) and the emulator's failure switch `metadata.emulator.fail` (a string). */
export function validateMetadata(raw: unknown): { metadata: Obj; failMessage: string | undefined } {
  const value = limitJsonField("metadata", raw);
  if (!isObject(value)) throw bad("metadata must be a JSON object");
  const emu = value.emulator;
  if (emu === undefined) return { metadata: value, failMessage: undefined };
  if (!isObject(emu)) throw bad('metadata.emulator must be an object, e.g. {"fail": "Audio is corrupt"}');
  if (emu.fail !== undefined && (typeof emu.fail !== "string" || !emu.fail.trim())) {
    throw bad("metadata.emulator.fail must be a non-empty string: the error message the job will fail with");
  }
  return { metadata: value, failMessage: emu.fail as string | undefined };
}

/** Parses a JSON-text form field (multipart) into a value; 400 naming the field when it is not JSON. */
export function parseJsonField(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw bad(`${field} must be JSON text: ${e instanceof SyntaxError ? e.message : "it could not be parsed"}`);
  }
}

/** Rejects unknown fields of a request body, naming the allowed ones. */
export function rejectUnknownFields(body: Obj, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key))
      throw bad(`Unknown field ${quote(key)} in ${what}. Allowed fields: ${allowed.join(", ")}`);
  }
}

/** The validated query of the list operation. */
export interface ListQuery {
  page: number;
  pageSize: number;
  statuses: JobStatus[] | undefined;
  modelCode: string | undefined;
  submittedAfter: number | undefined;
  submittedBefore: number | undefined;
  sortBy: JobSortField;
  sortOrder: SortOrder;
}

/** RFC 3339 date-time (the spec's `format: date-time`): a date, a time with seconds, and a zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function parseDateTime(field: string, raw: string): number {
  // A `+` sent unencoded in a query arrives as a space: `…T02:00:00 02:00` means `+02:00`.
  const value = raw.replace(/ (\d{2}:\d{2})$/, "+$1");
  const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw bad(
      `Invalid ${field} ${quote(raw)}: use an ISO 8601 date-time with a time and a zone, such as 2026-01-31T12:00:00Z`,
    );
  }
  return ms;
}

function parseIntParam(field: string, raw: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw bad(`Invalid ${field} ${quote(raw)}: must be an integer from ${min} to ${max}, in decimal digits`);
  }
  return n;
}

/** The list operation's query parameters. */
const LIST_PARAMS = [
  "page",
  "page_size",
  "status",
  "model_code",
  "submitted_after",
  "submitted_before",
  "sort_by",
  "sort_order",
] as const;

/** Each list parameter at most once: a repeated one is ambiguous (which value wins?), so it is refused. */
function rejectRepeated(q: URLSearchParams): void {
  for (const name of LIST_PARAMS) {
    const count = q.getAll(name).length;
    if (count > 1) {
      const hint =
        name === "status" ? " (several statuses go in one comma-separated value, e.g. status=DONE,FAILED)" : "";
      throw bad(`The query parameter ${name} is given ${count} times: give it once${hint}`);
    }
  }
}

function parseStatuses(raw: string): JobStatus[] {
  const statuses = raw.split(",");
  for (const s of statuses) {
    if (!(JOB_STATUSES as readonly string[]).includes(s)) {
      const spaces = /\s/.test(s) ? " (no spaces around the commas)" : "";
      throw bad(`Invalid status ${quote(s)}${spaces}. Allowed values: ${JOB_STATUSES.join(", ")}`);
    }
  }
  return statuses as JobStatus[];
}

/**
 * Validates the list query (`page`, `page_size`, `status`, `model_code`, `submitted_after/before`,
 * `sort_by`, `sort_order`) as the spec states it; each parameter at most once.
 */
export function parseListQuery(q: URLSearchParams): ListQuery {
  rejectRepeated(q);
  const page = q.get("page");
  const pageSize = q.get("page_size");
  const status = q.get("status");
  const after = q.get("submitted_after");
  const before = q.get("submitted_before");
  const sortBy = q.get("sort_by");
  const sortOrder = q.get("sort_order");
  const statuses = status === null ? undefined : parseStatuses(status);
  if (sortBy !== null) checkEnum("sort_by", sortBy, SORT_FIELDS);
  if (sortOrder !== null) checkEnum("sort_order", sortOrder, SORT_ORDERS);
  return {
    page: page === null ? 1 : parseIntParam("page", page, 1, MAX_PAGE),
    pageSize:
      pageSize === null ? PAGE_SIZE.default : parseIntParam("page_size", pageSize, PAGE_SIZE.min, PAGE_SIZE.max),
    statuses,
    modelCode: q.get("model_code") ?? undefined,
    submittedAfter: after === null ? undefined : parseDateTime("submitted_after", after),
    submittedBefore: before === null ? undefined : parseDateTime("submitted_before", before),
    sortBy: (sortBy ?? "submitted_at") as JobSortField,
    sortOrder: (sortOrder ?? "desc") as SortOrder,
  };
}

/** Makes a user-supplied file name safe to store and show: no path, no control characters, at most 255 characters. */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = stripControl(base, "").replace(/^\.+/, "").trim();
  if (!clean) return "audio";
  if (clean.length <= 255) return clean;
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(clean)?.[0] ?? "";
  return clean.slice(0, 255 - ext.length) + ext;
}
