import type { BatchJob } from "@slng/types";

/** Machine-readable kind of an {@link SlngError}. */
export type SlngErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "server_error"
  | "http_error"
  | "unexpected_response"
  | "network_error"
  | "timeout"
  | "aborted"
  | "validation_error"
  | "job_failed"
  | "wait_timeout"
  | "output_not_available";

interface ErrorInit {
  code: SlngErrorCode;
  retryable?: boolean;
  jobId?: string | undefined;
  cause?: unknown;
}

/**
 * Base class of every error the client throws. `retryable` says whether trying the same call
 * again later can succeed (429, 5xx, network, timeouts); `code` names the kind. No error ever
 * holds the API key or a request object: messages are scrubbed and signed URLs redacted.
 */
export class SlngError extends Error {
  override name = "SlngError";
  /** Machine-readable kind. */
  declare readonly code: SlngErrorCode;
  /** True when the same call may succeed if tried again later. */
  declare readonly retryable: boolean;
  /** The job this error is about, when known. */
  declare readonly jobId: string | undefined;

  constructor(message: string, init: ErrorInit) {
    // Error keeps `init.cause` as `cause` when the key is there.
    super(message, init);
    this.code = init.code;
    this.retryable = !!init.retryable;
    this.jobId = init.jobId;
  }

  /** A plain, key-free summary (used by `JSON.stringify`). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) if (v !== undefined && typeof v !== "object") out[k] = v;
    return out;
  }
}

/** The error envelope of every non-2xx API response: `{"error": "<message>"}`. */
export interface ErrorEnvelope {
  error: string;
}

const CODES: Record<number, SlngErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limited",
};

/** True for statuses worth retrying: 408, 429 and every 5xx. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * A non-2xx answer from the API or from a storage URL, or a 2xx whose body is not what the
 * operation returns. `message` is the envelope's text, `body` the parsed envelope, `code` one of
 * `bad_request` (400), `unauthorized` (401), `forbidden` (403), `not_found` (404), `conflict`
 * (409), `payload_too_large` (413), `rate_limited` (429), `server_error` (5xx), `http_error`,
 * or `unexpected_response` (a 2xx the client cannot read). Each status has its own subclass
 * (see {@link apiErrorClass}).
 */
export class SlngApiError extends SlngError {
  override name = "SlngApiError";
  /** HTTP status. */
  declare readonly status: number;
  /** The parsed error envelope, when the body was one. */
  declare readonly body: ErrorEnvelope | undefined;
  /** The server's request id (`x-request-id` and the like), when sent. */
  declare readonly requestId: string | undefined;
  /** How long the server asked to wait (`retry-after-ms` or `Retry-After`), in ms. */
  declare readonly retryAfterMs: number | undefined;
  /** Method and URL (signatures redacted) of the request. */
  declare readonly request: string;
  /** The response's headers (the request's are never kept). */
  declare readonly headers: Headers | undefined;

  constructor(
    message: string,
    init: {
      status: number;
      body?: ErrorEnvelope | undefined;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
      request: string;
      jobId?: string | undefined;
      headers?: Headers | undefined;
      /** Overrides the status's code (`unexpected_response`). */
      code?: SlngErrorCode | undefined;
      /** Overrides the status's retryability (the server's `x-should-retry`). */
      retryable?: boolean | undefined;
    },
  ) {
    const { status, code, retryable, ...rest } = init;
    super(message, {
      code: code ?? CODES[status] ?? (status >= 500 ? "server_error" : "http_error"),
      retryable: retryable ?? (!code && isRetryableStatus(status)),
      jobId: init.jobId,
    });
    // status, body, requestId, retryAfterMs, request, headers (and jobId again, unchanged).
    Object.assign(this, { status, ...rest });
  }
}

/** 400: the request was refused as invalid (`code` `bad_request`). */
export class SlngBadRequestError extends SlngApiError {
  override name = "SlngBadRequestError";
}
/** 401: no usable credentials (`code` `unauthorized`). */
export class SlngAuthenticationError extends SlngApiError {
  override name = "SlngAuthenticationError";
}
/** 403: the key is missing, unknown or not allowed (the API answers a bad key with 403; `code` `forbidden`). */
export class SlngPermissionDeniedError extends SlngApiError {
  override name = "SlngPermissionDeniedError";
}
/** 404: no such job, or not the caller's (`code` `not_found`). */
export class SlngNotFoundError extends SlngApiError {
  override name = "SlngNotFoundError";
}
/** 409: the job's state does not allow it, e.g. deleting a running job (`code` `conflict`). */
export class SlngConflictError extends SlngApiError {
  override name = "SlngConflictError";
}
/** 413: the input is over the API's 1 GB limit (`code` `payload_too_large`). */
export class SlngPayloadTooLargeError extends SlngApiError {
  override name = "SlngPayloadTooLargeError";
}
/** 429: too many requests; see `retryAfterMs` (`code` `rate_limited`, retryable). */
export class SlngRateLimitError extends SlngApiError {
  override name = "SlngRateLimitError";
}
/** 500 and above: the server failed (`code` `server_error`, retryable). */
export class SlngInternalServerError extends SlngApiError {
  override name = "SlngInternalServerError";
}

const CLASSES: Record<number, typeof SlngApiError> = {
  400: SlngBadRequestError,
  401: SlngAuthenticationError,
  403: SlngPermissionDeniedError,
  404: SlngNotFoundError,
  409: SlngConflictError,
  413: SlngPayloadTooLargeError,
  429: SlngRateLimitError,
};

/** The {@link SlngApiError} subclass for an error status (the base class for any other). */
export const apiErrorClass = (status: number): typeof SlngApiError =>
  CLASSES[status] ?? (status >= 500 ? SlngInternalServerError : SlngApiError);

/** The request never got an answer: connection refused or reset, DNS failure, or dropped. Retryable. */
export class SlngNetworkError extends SlngError {
  override name = "SlngNetworkError";
  constructor(
    message: string,
    init: { cause?: unknown; jobId?: string | undefined; code?: "network_error" | "timeout" },
  ) {
    super(message, { code: "network_error", ...init, retryable: true });
  }
}

/** One attempt took longer than `timeoutMs` (or an upload made no progress for that long). Retryable. */
export class SlngTimeoutError extends SlngNetworkError {
  override name = "SlngTimeoutError";
  constructor(message: string, jobId?: string) {
    super(message, { code: "timeout", jobId });
  }
}

/** The caller's `AbortSignal` fired. `name` is `"AbortError"`, like the platform's. */
export class SlngAbortError extends SlngError {
  override name = "AbortError";
  constructor(message = "The operation was aborted") {
    super(message, { code: "aborted" });
  }
}

/** Bad input caught before any request was sent: says what is wrong and how to fix it. */
export class SlngValidationError extends SlngError {
  override name = "SlngValidationError";
  /** The option or field at fault. */
  declare readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message, { code: "validation_error" });
    this.field = field;
  }
}

/** The job ended `FAILED`; `message` is the job's `error_message.message`, `job` the job. */
export class JobFailedError extends SlngError {
  override name = "JobFailedError";
  /** The failed job. */
  declare readonly job: BatchJob;
  constructor(job: BatchJob) {
    super(job.error_message?.message ?? `Job ${job.job_id} failed`, { code: "job_failed", jobId: job.job_id });
    this.job = job;
  }
}

/**
 * `wait`/`watch` reached its deadline before the job ended. The job goes on: resume with
 * `jobs.wait(err.jobId)`; `lastJob` is the last snapshot seen.
 */
export class WaitTimeoutError extends SlngError {
  override name = "WaitTimeoutError";
  /** The last snapshot of the job, if any poll succeeded. */
  declare readonly lastJob: BatchJob | undefined;
  constructor(jobId: string, lastJob: BatchJob | undefined, timeoutMs: number) {
    super(
      `Job ${jobId} did not finish within ${timeoutMs} ms (last status: ${lastJob?.status ?? "unknown"}); it is still running — wait again to resume`,
      { code: "wait_timeout", retryable: true, jobId },
    );
    this.lastJob = lastJob;
  }
}

/**
 * Query parameters whose values are credentials or signatures: S3 (`X-Amz-Signature`,
 * `X-Amz-Credential`, `X-Amz-Security-Token`, legacy `Signature`/`AWSAccessKeyId`), Google Cloud
 * Storage (`X-Goog-Signature`, `X-Goog-Credential`, legacy `GoogleAccessId`), Azure SAS (`sig`),
 * and any other URL's signature-, token-, key-, secret- or password-like names.
 */
const SIGNED =
  /([?&;](?:[\w.-]*(?:signature|credential|token|secret|passw|accesskey|accessid|api_?key)[\w.-]*|sig|key|auth[\w.-]*|code)=)[^&#\s"'<>;]*/gi;

/**
 * Replaces the values of credential and signature query parameters (see above) with
 * `REDACTED`, for logs and errors; the other parameters (expiry, algorithm…) stay readable.
 */
export function redactUrl(text: string): string {
  return text.replace(SIGNED, "$1REDACTED");
}

/** Names `jobId` on an error that does not name a job yet (internal: errors are built deep down). */
export function withJobId<E>(error: E, jobId: string | undefined): E {
  if (jobId && error instanceof SlngError && error.jobId === undefined)
    (error as { jobId: string | undefined }).jobId = jobId;
  return error;
}
