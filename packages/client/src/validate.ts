import {
  AUDIO_FORMATS,
  isJobId,
  isJobStatus,
  type JobSortField,
  type JobStatus,
  MAX_INPUT_BYTES,
  type operations,
  PAGE_SIZE,
  SORT_FIELDS,
  SORT_ORDERS,
  type SortOrder,
} from "@slng/types";
import type { RequestOptions } from "./core.js";
import { SlngValidationError } from "./errors.js";

/** Throws {@link SlngValidationError} unless `jobId` is letters and digits only (the API's `^[a-zA-Z0-9]+$`). */
export function checkJobId(jobId: unknown): string {
  if (!isJobId(jobId))
    throw new SlngValidationError(
      `jobId must be letters and digits only (got ${JSON.stringify(jobId)?.slice(0, 60)})`,
      "jobId",
    );
  return jobId;
}

/** Loopback (127.x, `[::1]`) and the reserved names `localhost`, `test`, `invalid`, `example` and their subdomains. */
const LOCAL = /^(127\.|\[::1\]$)|(^|\.)(localhost|test|invalid|example)$/;

/**
 * True for hosts whose traffic cannot leave the machine or reach the internet (loopback, `.localhost`,
 * `.test`, …). Takes a `URL`'s `hostname` (lower case, IPv6 loopback written `[::1]`).
 */
export const isLocalHost = (hostname: string): boolean => LOCAL.test(hostname);

/** `text` parsed, when it is an absolute http(s) URL. */
export function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    if (/^https?:$/.test(url.protocol)) return url;
  } catch {}
  return undefined;
}

/** True for plain `http` to a host that is not local: whatever it carries travels in clear. */
export const inClear = (url: URL): boolean => url.protocol === "http:" && !isLocalHost(url.hostname);

/**
 * Checks `baseUrl`: an absolute http(s) URL; plain `http` only to a loopback or reserved host
 * (it would send the API key in clear) unless `allowInsecureHttp`. Returns it without a trailing slash.
 */
export function checkBaseUrl(baseUrl: string, allowInsecureHttp = false): string {
  const url = httpUrl(baseUrl);
  if (!url)
    throw new SlngValidationError(
      `baseUrl ${JSON.stringify(baseUrl)} is not a URL starting with https:// or http://; use e.g. https://api.batch.slng.ai`,
      "baseUrl",
    );
  if (!allowInsecureHttp && inClear(url))
    throw new SlngValidationError(
      `baseUrl ${url.origin} is plain http to a remote host: the API key would travel in clear. Use https, or pass allowInsecureHttp: true if you really mean it`,
      "baseUrl",
    );
  return baseUrl.replace(/\/+$/, "");
}

/** The audio format of `filename` (its extension), or a validation error naming the accepted ones. */
export function audioFormat(filename: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (!ext || !(AUDIO_FORMATS as readonly string[]).includes(ext))
    throw new SlngValidationError(
      `${JSON.stringify(filename)} is not a supported audio file: the name must end in .${AUDIO_FORMATS.join(", .")} (pass filename to name bytes or a stream)`,
      "filename",
    );
  return ext;
}

/** Throws unless `size` is a byte count within the API's 1 GB limit. */
export function checkSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new SlngValidationError(`the input's size must be a byte count, got ${size}`, "file");
  if (size > MAX_INPUT_BYTES)
    throw new SlngValidationError(
      `the input is ${(size / 2 ** 30).toFixed(2)} GB; the API accepts at most 1 GB — split or compress it first`,
      "file",
    );
  if (size === 0) throw new SlngValidationError("the input is empty (0 bytes)", "file");
  return size;
}

/** Filters of the job list, in camelCase; mapped to the API's query by {@link toQuery}. */
export interface ListFilters extends RequestOptions {
  /** Only jobs in these statuses (sent comma-joined). */
  status?: JobStatus | readonly JobStatus[];
  /** Only jobs with exactly this model code. */
  modelCode?: string;
  /** Only jobs submitted after this instant. */
  submittedAfter?: Date | string;
  /** Only jobs submitted before this instant. */
  submittedBefore?: Date | string;
  /** Sort field (default `submitted_at`). */
  sortBy?: JobSortField;
  /** Sort direction (default `desc`). */
  sortOrder?: SortOrder;
  /** 1-based page (listPage; `list` starts here). */
  page?: number;
  /** Jobs per page, 1–100 (default 20). */
  pageSize?: number;
}

type ListQuery = NonNullable<operations["batchJobsList"]["parameters"]["query"]>;

function isoDate(value: Date | string, field: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new SlngValidationError(`${field} must be a date or an ISO 8601 string, got ${String(value)}`, field);
  return d.toISOString();
}

function oneOf<T extends string>(value: T | undefined, allowed: readonly string[], field: string): T | undefined {
  if (value !== undefined && !allowed.includes(value))
    throw new SlngValidationError(`${field} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`, field);
  return value;
}

/** Validates `filters` and maps them to the API's snake_case query (status comma-joined). */
export function toQuery(filters: ListFilters = {}): ListQuery {
  const q: ListQuery = {};
  const { status, pageSize, page } = filters;
  if (status !== undefined) {
    const list = typeof status === "string" ? [status] : [...status];
    for (const s of list)
      if (!isJobStatus(s)) throw new SlngValidationError(`status ${JSON.stringify(s)} is not a job status`, "status");
    if (list.length) q.status = list.join(",");
  }
  if (pageSize !== undefined) {
    if (!Number.isInteger(pageSize) || pageSize < PAGE_SIZE.min || pageSize > PAGE_SIZE.max)
      throw new SlngValidationError(
        `pageSize must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}, got ${pageSize}`,
        "pageSize",
      );
    q.page_size = pageSize;
  }
  if (page !== undefined) {
    if (!Number.isInteger(page) || page < 1)
      throw new SlngValidationError(`page must be a whole number ≥ 1, got ${page}`, "page");
    q.page = page;
  }
  if (filters.modelCode) q.model_code = filters.modelCode;
  if (filters.submittedAfter !== undefined) q.submitted_after = isoDate(filters.submittedAfter, "submittedAfter");
  if (filters.submittedBefore !== undefined) q.submitted_before = isoDate(filters.submittedBefore, "submittedBefore");
  const sortBy = oneOf(filters.sortBy, SORT_FIELDS, "sortBy");
  if (sortBy) q.sort_by = sortBy;
  const sortOrder = oneOf(filters.sortOrder, SORT_ORDERS, "sortOrder");
  if (sortOrder) q.sort_order = sortOrder;
  return q;
}
