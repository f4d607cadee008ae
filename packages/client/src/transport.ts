import {
  apiErrorClass,
  isRetryableStatus,
  redactUrl,
  SlngAbortError,
  type SlngApiError,
  SlngError,
  SlngNetworkError,
  SlngTimeoutError,
} from "./errors.js";
import { type ExchangeTarget, exchange, type SlngMiddleware } from "./exchange.js";
import type { Log } from "./log.js";

/**
 * A `fetch` that takes a `Request` (the global `fetch` and the emulator's in-process `fetch`
 * are both one). `init` carries only the attempt's `signal`; a fetch may ignore it (the client
 * still rejects at once on abort or timeout).
 */
export type FetchLike = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/** What `onRetry` is told before the client sleeps and tries a request again. */
export interface RetryInfo {
  /** The retry about to be made: 1 for the first retry. */
  attempt: number;
  /** The most retries this request gets. */
  maxRetries: number;
  /** How long the client waits before it (backoff, or the server's `Retry-After`), in ms. */
  delayMs: number;
  /**
   * Method and URL, e.g. `GET https://api.batch.slng.ai/v1/batch/jobs/abc` (as in `SlngApiError.request`),
   * signatures redacted, never the API key.
   */
  request: string;
  /** The status that is being retried (429, 5xx…), when the server answered. */
  status?: number;
  /** Why the attempt failed when no answer came (network error or timeout), key-free. */
  error?: string;
}

/** Shared state of one client's HTTP layer. */
export interface Transport {
  fetch: FetchLike;
  maxRetries: number;
  timeoutMs: number;
  log: Log;
  /** Headers every API request carries (`defaultHeaders`, then the call's `headers`); never sent to storage. */
  headers: Record<string, string>;
  /** The middleware chain, shared by the core and every call. */
  mw: SlngMiddleware[];
  /** Adds the key and `User-Agent` to a request for the API's origin; strips the key from any other. */
  guard: (request: Request, target: ExchangeTarget) => void;
  /** Told before each retry's sleep (`SlngClientOptions.onRetry`). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Removes the API key (and signatures) from any text that may reach an error or a log. */
  scrub: (text: string) => string;
  /** The backoff's randomness (default `Math.random`; fixed in tests). */
  random?: () => number;
}

/** Longest `Retry-After` the client will sleep through (60 s); a longer hint is returned to the caller. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Methods retried automatically: they are idempotent. `POST` (create) has its own exactly-once logic. */
const IDEMPOTENT = /^(GET|HEAD|PUT|DELETE|OPTIONS)$/;

/** The server's wait hint in ms: `retry-after-ms`, else `Retry-After` (seconds or an HTTP date). */
export const retryAfter = (h: Headers): number | undefined =>
  parseRetryAfter(h.get("retry-after-ms"), 0, 1) ?? parseRetryAfter(h.get("retry-after"));

/**
 * Whether a response is worth retrying: the server's `x-should-retry` (`true`/`false`) when
 * sent, else the status (408, 429, 5xx).
 */
export function shouldRetry(res: Response): boolean {
  const hint = res.headers.get("x-should-retry");
  return hint === "true" ? true : hint === "false" ? false : isRetryableStatus(res.status);
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now(), unit = 1000): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isNaN(seconds) ? (unit === 1 ? Number.NaN : Date.parse(value) - now) : seconds * unit;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** Full-jitter exponential backoff: a random delay in [0, min(8 s, 500 ms · 2^attempt)). */
export const backoff = (attempt: number, random: () => number = Math.random): number =>
  random() * Math.min(8000, 500 * 2 ** attempt);

/** Resolves after `ms`, or rejects with {@link SlngAbortError} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SlngAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SlngAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `METHOD url` with signatures redacted, for logs and error texts. */
export const describeRequest = (method: string, url: string): string => `${method} ${redactUrl(url)}`;

/**
 * Wraps whatever a fetch threw into a key-free {@link SlngNetworkError}. Its `cause` is a
 * scrubbed copy of the innermost error that says what went wrong (the first with a `code`,
 * such as `ECONNREFUSED`, or the end of the `cause` chain, at most 4 deep).
 */
export function networkError(t: Transport, label: string, error: unknown, jobId?: string): SlngNetworkError {
  if (error instanceof SlngTimeoutError) return error;
  let e = error as { message?: string; code?: string; cause?: unknown } | undefined;
  for (let i = 0; i < 4 && e && typeof e === "object" && !e.code && e.cause; i++) e = e.cause as typeof e;
  const code = e && typeof e === "object" ? e.code : undefined;
  const cause = Object.assign(new Error(t.scrub(String(e?.message || code || e))), code ? { code: String(code) } : {});
  return new SlngNetworkError(`${label} failed: ${cause.message}`, { cause, jobId });
}

/** Tells `t.onRetry` (if any) that retry `n + 1` of `max` follows in `delay` ms. */
export function retrying(
  t: Transport,
  n: number,
  max: number,
  delay: number,
  label: string,
  status: number | undefined,
  failure: Error | undefined,
): void {
  t.log.warn?.(`${label}: ${status ?? failure?.message}; retry ${n + 1}/${max} in ${Math.round(delay)} ms`);
  t.onRetry?.({
    attempt: n + 1,
    maxRetries: max,
    delayMs: Math.round(delay),
    request: t.scrub(label),
    ...(status ? { status } : { error: t.scrub(failure?.message ?? "") }),
  });
}

/** Options of one logical request. */
export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Retries after the first attempt (0 = none). */
  retries: number;
  /** Per-attempt timeout in ms (0 or Infinity = none); restarted by each `progress()` of the attempt. */
  timeoutMs: number;
  /**
   * The timeout error's words between the label and the time: "timed out after" by default;
   * uploads, whose timer restarts as bytes go out, say "made no progress for" (`STALLED`).
   */
  timeoutWords?: string | undefined;
  jobId?: string | undefined;
}

/**
 * Runs `attempt` with a fresh per-attempt timeout, retrying network errors, timeouts, 408,
 * 429 and 5xx up to `retries` times with full-jitter backoff (honouring `Retry-After` up to
 * 60 s). Abort rejects at once, even if `attempt` ignores its signal. Returns the last
 * response (any status) or throws a network, timeout or abort error. An upload attempt calls
 * `progress()` as bytes go out, which restarts its timeout (a stall timeout).
 */
export async function send(
  t: Transport,
  label: string,
  attempt: (signal: AbortSignal, progress: () => void, n: number) => Promise<Response>,
  opts: SendOptions,
): Promise<Response> {
  const user = opts.signal;
  const ms = opts.timeoutMs;
  for (let n = 0; ; n++) {
    if (user?.aborted) throw new SlngAbortError();
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(new SlngAbortError());
    user?.addEventListener("abort", onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (ms > 0 && ms < Infinity)
        timer = setTimeout(
          () =>
            ctl.abort(new SlngTimeoutError(`${label} ${opts.timeoutWords ?? "timed out after"} ${ms} ms`, opts.jobId)),
          ms,
        );
    };
    arm();
    const started = Date.now();
    let res: Response | undefined;
    let err: unknown;
    try {
      res = await new Promise<Response>((resolve, reject) => {
        ctl.signal.addEventListener("abort", () => reject(ctl.signal.reason), { once: true });
        attempt(ctl.signal, arm, n).then(resolve, reject);
      });
    } catch (e) {
      err = e;
    } finally {
      clearTimeout(timer);
      user?.removeEventListener("abort", onAbort);
    }
    if (user?.aborted) throw new SlngAbortError();
    if (err instanceof SlngError && !(err instanceof SlngNetworkError)) throw err;
    const wait = res ? retryAfter(res.headers) : undefined;
    const again = n < opts.retries && (!res || (!res.ok && shouldRetry(res))) && (wait ?? 0) <= MAX_RETRY_AFTER_MS;
    const delay = again ? Math.max(wait ?? 0, backoff(n, t.random)) : 0;
    t.log.info?.(
      `${label} → ${res ? res.status : err instanceof SlngTimeoutError ? "timeout" : "network error"} (${Date.now() - started} ms)${again ? `; retry ${n + 1}/${opts.retries} in ${Math.round(delay)} ms` : ""}`,
    );
    const failure = res ? undefined : networkError(t, label, err, opts.jobId);
    if (!again) {
      if (!res?.ok) t.log.error?.(`${label} → ${res ? res.status : failure?.message}`);
      if (res) return res;
      throw failure;
    }
    res?.body?.cancel().catch(() => {});
    retrying(t, n, opts.retries, delay, label, res?.status, failure);
    await sleep(delay, user);
  }
}

/**
 * The `fetch` given to openapi-fetch: each attempt gets a fresh clone of the request and its
 * own timeout; idempotent methods are retried, `POST` is sent once (see `jobs.create`) unless
 * `anyMethod` (the presign request, which creates nothing). `signal` (else the request's own)
 * aborts it: the helpers keep the caller's signal off the `Request`, so a long-lived signal
 * shared by thousands of calls gets one listener per attempt, removed when it ends, instead of
 * one left by each `Request` until a full garbage collection.
 */
export function retryingFetch(
  t: Transport,
  retries = t.maxRetries,
  anyMethod = false,
  signal?: AbortSignal | undefined,
): FetchLike {
  return (request) => {
    const retry = (anyMethod || IDEMPOTENT.test(request.method)) && retries > 0;
    return send(
      t,
      describeRequest(request.method, request.url),
      // Each attempt gets its own copy (the middleware may change its headers).
      (signal, _, n) =>
        exchange(t, "api", retry || request.body === null ? request.clone() : request, n, (r) =>
          t.fetch(r, { signal }),
        ),
      { signal: signal ?? request.signal, retries: retry ? retries : 0, timeoutMs: t.timeoutMs },
    );
  };
}

/** Reads an error response into a {@link SlngApiError} with the envelope's message (key scrubbed). */
export async function apiError(
  t: Transport,
  res: Response,
  label: string,
  body?: unknown,
  jobId?: string,
): Promise<SlngApiError> {
  let parsed = body;
  if (parsed === undefined) {
    const text = await res.text().catch(() => "");
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  const envelope = typeof error === "string" ? { error: t.scrub(error) } : undefined;
  // A body that is not an envelope (a proxy's HTML page, say): its text, tags and spacing removed.
  const text =
    envelope?.error ??
    (typeof parsed === "string"
      ? parsed
          .replace(/<[^>]*>/g, " ")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 200)
      : "");
  return new (apiErrorClass(res.status))(t.scrub(text || `${label} answered ${res.status}`), {
    ...meta(t, res),
    body: envelope,
    retryAfterMs: retryAfter(res.headers),
    retryable: shouldRetry(res),
    request: label,
    jobId,
  });
}

/** The request id of a response (`x-request-id`, or storage's `x-amz-request-id`), scrubbed. */
export function requestIdOf(t: Transport, res: Response): string | undefined {
  const id = res.headers.get("x-request-id") ?? res.headers.get("x-amz-request-id");
  return id === null ? undefined : t.scrub(id);
}

/** The status, a scrubbed copy of the headers and the request id of a response, for an error. */
function meta(t: Transport, res: Response) {
  const headers = new Headers();
  res.headers.forEach((v, k) => {
    headers.set(k, t.scrub(v));
  });
  return { status: res.status, headers, requestId: requestIdOf(t, res) };
}

/**
 * The error for a 2xx whose body is not what `label`'s operation returns (not JSON, empty,
 * another shape, another job): `code` `unexpected_response`, naming the operation and status.
 */
export function unexpected(t: Transport, res: Response, label: string, what: string, jobId?: string): SlngApiError {
  return new (apiErrorClass(0))(`${label} answered ${res.status} with a body that is not ${what}`, {
    ...meta(t, res),
    code: "unexpected_response",
    request: label,
    jobId,
  });
}

/** Reads a 2xx body as JSON and checks it with `ok`; anything else is {@link unexpected}. */
export async function readJson<T>(
  t: Transport,
  res: Response,
  label: string,
  ok: (v: unknown) => boolean,
  what: string,
  jobId?: string,
  text?: unknown,
): Promise<T> {
  let v: unknown;
  try {
    v = JSON.parse(text === undefined ? await res.text() : String(text));
  } catch {}
  if (!ok(v)) throw unexpected(t, res, label, what, jobId);
  return v as T;
}
