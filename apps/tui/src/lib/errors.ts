import { EXIT, type ExitCode } from "./exit-codes.js";

/** How an error from the API client should be treated by a long-running watch. */
export type ErrorKind = "auth" | "not-found" | "invalid" | "conflict" | "transient" | "timeout" | "aborted" | "other";

interface ErrorLike {
  name?: string;
  status?: number;
  retryable?: boolean;
  message?: string;
  code?: string;
  cause?: unknown;
}

/**
 * Classifies an error thrown by `@slng/client` (or by fetch): 403/401 → auth, 404 → not found,
 * 400/413 and validation errors → invalid, 409 → conflict, 429/5xx/network → transient.
 */
export function classifyError(error: unknown): ErrorKind {
  const e = (error ?? {}) as ErrorLike;
  if (e.name === "AbortError" || (error instanceof DOMException && error.name === "AbortError")) return "aborted";
  if (e.name === "WaitTimeoutError") return "timeout";
  if (e.name === "SlngValidationError") return "invalid";
  const status = typeof e.status === "number" ? e.status : undefined;
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if (status === 429 || (status !== undefined && status >= 500)) return "transient";
  if (status !== undefined && status >= 400) return "invalid";
  if (e.retryable === true) return "transient";
  if (e.name === "SlngNetworkError" || e.name === "TypeError" || e.name === "TimeoutError") return "transient";
  if (typeof e.code === "string" && /^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(e.code))
    return "transient";
  return "other";
}

/** The exit code for an error that ends a command. */
export function exitCodeForError(error: unknown): ExitCode {
  switch (classifyError(error)) {
    case "auth":
    case "not-found":
    case "transient":
      return EXIT.api;
    case "timeout":
      return EXIT.timeout;
    case "aborted":
      return EXIT.interrupted;
    case "invalid":
      return EXIT.usage;
    default:
      return EXIT.api;
  }
}

let keyHint = "Check SLNG_API_KEY or --api-key.";

/**
 * Names where this run's API key came from (`--api-key-file key.txt`, `SLNG_API_KEY`…), so an
 * authorisation error ({@link describeError}) points at the one to fix.
 */
export function setKeySource(source: { flag?: string; file?: string; env?: boolean }): void {
  if (source.flag === "--api-key-file")
    keyHint = `Check the key in ${source.file === "-" ? "standard input (--api-key-file -)" : `--api-key-file ${source.file}`}.`;
  else if (source.flag) keyHint = `Check the key given with ${source.flag}.`;
  else if (source.env) keyHint = "Check the key in SLNG_API_KEY.";
  else keyHint = "No key was given (the emulator's demo key was sent): set SLNG_API_KEY or --api-key-file.";
}

/** A one-line, user-presentable message for an error (never a stack trace). */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const kind = classifyError(error);
  const message = typeof e.message === "string" && e.message !== "" ? e.message : String(error);
  switch (kind) {
    case "auth":
      return `Not authorised (${e.status}): ${message}. ${keyHint}`;
    case "not-found":
      return /job not found/i.test(message)
        ? `Not found: ${message}. Check the job id (slng-batch jobs lists yours).`
        : `Not found: ${message}. Check the base URL: it is the API's root (e.g. https://api.batch.slng.ai), without /v1/batch.`;
    case "transient":
      return e.status ? `API error ${e.status}: ${message}` : `API unreachable: ${causeText(e) ?? message}`;
    default:
      return message;
  }
}

function causeText(e: ErrorLike): string | undefined {
  let cause = e.cause as ErrorLike | undefined;
  while (cause && typeof cause === "object") {
    if (typeof cause.code === "string") return `${cause.message ?? cause.code}`;
    cause = cause.cause as ErrorLike | undefined;
  }
  return undefined;
}

/**
 * What a connection problem is, from its detail ("503 Service Unavailable", "API error 429: …",
 * "ECONNREFUSED …"): a server that answers with an error or asks to slow down is not "unreachable".
 */
export function connectionProblem(detail: string | undefined): string {
  const status = /^(?:API error )?(\d{3})\b/.exec(detail ?? "")?.[1];
  if (status === "429") return "API is rate-limiting";
  if (status !== undefined) return "API error";
  return "API unreachable";
}

/** A connection problem's detail without a leading "API error " that {@link connectionProblem} already says. */
export function connectionDetail(detail: string): string {
  return detail.replace(/^API error (\d{3}):?/, "$1");
}
