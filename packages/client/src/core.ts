import { API_PATH_PREFIX, PRODUCTION_BASE_URL } from "@slng/types";
import { checkApiKey } from "./api-key.js";
import { redactUrl, SlngValidationError, withJobId } from "./errors.js";
import type { SlngMiddleware } from "./exchange.js";
import { type LogLevel, makeLog, type SlngLogger } from "./log.js";
import { env, type Platform } from "./platform.js";
import type { Answer } from "./respond.js";
import { apiError, type FetchLike, type RetryInfo, readJson, retryingFetch, type Transport } from "./transport.js";
import { checkBaseUrl } from "./validate.js";
import type { Learned } from "./wait.js";

/** Options of {@link createSlngCore} and `createSlngClient`. */
export interface SlngClientOptions {
  /** API key; defaults to the `SLNG_API_KEY` environment variable. Sent only to `baseUrl`. */
  apiKey?: string;
  /** API origin; defaults to `SLNG_BASE_URL`, else production (`https://api.batch.slng.ai`). */
  baseUrl?: string;
  /** The fetch used for every request, API and storage (e.g. the emulator's in-process `fetch`). */
  fetch?: FetchLike;
  /** Retries of a failed request (429, 5xx, network, timeout) on GET/PUT/DELETE and create; default 3. */
  maxRetries?: number;
  /** Per-attempt timeout in ms (for uploads: longest time without progress); default 60 000. */
  timeoutMs?: number;
  /** `User-Agent` sent to the API (where the runtime lets one be set). */
  userAgent?: string;
  /** Headers sent with every API request (never to signed storage URLs); a call's `headers` add to them. */
  defaultHeaders?: Record<string, string>;
  /** Middleware run on every HTTP exchange, API and storage, each attempt (see `SlngMiddleware`); more with `use`. */
  middleware?: SlngMiddleware[];
  /**
   * Where log lines go: a console-compatible object (e.g. `console`) or a function that gets
   * every line; default: stderr. Lines are scrubbed: never the key, signatures redacted.
   */
  logger?: SlngLogger | ((line: string) => void);
  /**
   * `off`, `error` (requests that failed for good), `warn` (+ retries), `info` (one line per
   * attempt), `debug` (+ one line per exchange with attempt, request id and headers). Default:
   * `SLNG_LOG`, else `info` when a `logger` is given, else `off`.
   */
  logLevel?: LogLevel;
  /**
   * Called before each automatic retry, just before the client sleeps: which retry, of how many,
   * the wait in ms, the request (signatures redacted, never the key), and the status or error
   * being retried. Use it to show "retrying in N s…". It runs synchronously; what it throws
   * fails the request.
   */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Allow use in a web page. Off by default: the API key would be visible to every user of the
   * page. Set it only for a page whose users may all hold the key (an internal tool, a demo).
   */
  dangerouslyAllowBrowser?: boolean;
  /** Allow a plain-`http` `baseUrl` on a remote host (sends the key in clear). Default false. */
  allowInsecureHttp?: boolean;
  /**
   * How uploads travel. `auto` (default): in Node, through `node:http` (streamed, flat memory,
   * progress = bytes sent) unless a custom `fetch` is given; otherwise through `fetch`.
   */
  uploadTransport?: "auto" | "fetch" | "node-http";
  /**
   * Node: the proxy for every request (API, upload, download), e.g. `http://proxy:3128`, or
   * `false` for none. Default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` as curl reads them.
   */
  proxy?: string | false;
  /** `upload: "auto"` uses the presigned flow above this many bytes; default {@link PRESIGN_THRESHOLD_BYTES}. */
  presignThresholdBytes?: number;
}

/** `upload: "auto"` sends inputs up to this size (32 MiB) as multipart, larger ones through the presigned flow. */
export const PRESIGN_THRESHOLD_BYTES: number = 33_554_432;

/** Options every method and standalone function takes for its own requests. */
export interface RequestOptions {
  /** Cancels the call: it rejects with an `AbortError` at once. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms for this call (default: the client's `timeoutMs`). */
  timeoutMs?: number | undefined;
  /** Retries for this call (default: the client's `maxRetries`; 0 = one attempt). */
  maxRetries?: number | undefined;
  /** Headers added to this call's API requests (after `defaultHeaders`); never sent to storage. */
  headers?: Record<string, string> | undefined;
}

/**
 * The small client the standalone functions (`getJob`, `createJob`, `waitForJob`…) take: the
 * checked options and the retrying transport. Import only the functions you call and
 * a bundler leaves the rest out.
 */
export interface SlngCore {
  /** The API origin requests go to (no trailing slash). */
  readonly baseUrl: string;
  /** Adds a middleware to every later exchange of this core (and of the client made from it). */
  use(middleware: SlngMiddleware): void;
}

/** What the standalone functions read from a core (internal: not part of the public type). */
export interface CoreState extends SlngCore {
  /** The runtime: file paths and `node:http` in Node, nothing in a browser. */
  readonly platform: Platform;
  /** The options the core was made with (a copy), for what only some functions need. */
  readonly o: SlngClientOptions;
  /** The retrying HTTP layer. */
  readonly t: Transport;
  /** What this core's waits learned from finished jobs (set by the first wait). */
  learned?: Learned;
}

/** The internals of `core` (every core is made by {@link createCoreFor}). */
export const state = (core: SlngCore): CoreState => core as CoreState;

/** `/v1/batch/jobs`, for request labels. */
export const JOBS = `${API_PATH_PREFIX}/jobs`;

/**
 * Builds a core for one runtime (see `index.ts` and `node.ts`): checks the key and `baseUrl`
 * (throwing `SlngValidationError` before any request), sets up retries, timeouts, scrubbing and
 * the guard that sends the key to `baseUrl`'s origin only.
 */
export function createCoreFor(platform: Platform, options: SlngClientOptions = {}): SlngCore {
  const g = globalThis as { window?: unknown; document?: unknown };
  if (typeof g.window === "object" && typeof g.document === "object" && !options.dangerouslyAllowBrowser)
    throw new SlngValidationError(
      "This looks like a web page: the API key would be visible to every user of the page. Call the API from your server, or pass dangerouslyAllowBrowser: true if every user of the page may hold the key",
      "dangerouslyAllowBrowser",
    );
  const apiKey = checkApiKey(options.apiKey ?? env("SLNG_API_KEY"));
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? env("SLNG_BASE_URL") ?? PRODUCTION_BASE_URL,
    options.allowInsecureHttp,
  );
  const origin = new URL(baseUrl).origin;
  const scrub = (s: string) => redactUrl(s.split(apiKey).join("[REDACTED]"));
  const userAgent = options.userAgent ?? platform.userAgent;
  const mw = [...(options.middleware ?? [])];
  const t: Transport = {
    fetch: options.fetch ?? platform.fetch?.(options.proxy) ?? ((r, init) => globalThis.fetch(r, init)),
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 60_000,
    log: makeLog(options.logLevel, options.logger, scrub),
    onRetry: options.onRetry,
    scrub,
    headers: { ...options.defaultHeaders },
    mw,
    guard(request, target) {
      const h = request.headers;
      if (target === "api" && new URL(request.url).origin === origin) {
        h.set("Authorization", `Bearer ${apiKey}`);
        if (userAgent) h.set("User-Agent", userAgent);
        return;
      }
      const leaking: string[] = [];
      h.forEach((v, k) => {
        if (v.includes(apiKey) || k === "authorization") leaking.push(k);
      });
      for (const k of leaking) h.delete(k);
    },
  };
  const core: CoreState = { baseUrl, platform, o: { ...options, apiKey: undefined }, t, use: (m) => void mw.push(m) };
  return core;
}

/**
 * The transport for one call: the client's, with the call's `timeoutMs`, `maxRetries` and
 * `headers` (added to `defaultHeaders`) when given.
 */
export function tx(core: SlngCore, o: RequestOptions = {}): Transport {
  const { t } = state(core);
  return {
    ...t,
    maxRetries: o.maxRetries ?? t.maxRetries,
    timeoutMs: o.timeoutMs ?? t.timeoutMs,
    headers: { ...t.headers, ...o.headers },
  };
}

/** One API request of a helper: method, path under the base URL, query, JSON body. */
export interface ApiRequest {
  method: string;
  path: string;
  query?: Record<string, string | number> | undefined;
  body?: object | undefined;
  signal?: AbortSignal | undefined;
  /** Retry a POST too (the presign request, which creates nothing). */
  anyMethod?: boolean | undefined;
}

/**
 * Sends one API request through the retrying transport `t` and reads the answer: the 2xx body
 * parsed and checked by `ok` (else `unexpected_response`), else the mapped `SlngApiError`.
 * Errors name `jobId`.
 */
export async function call<T>(
  core: SlngCore,
  t: Transport,
  r: ApiRequest,
  label: string,
  ok: (v: unknown) => boolean,
  what: string,
  jobId?: string,
): Promise<Answer<T>> {
  const url = new URL(core.baseUrl + r.path);
  for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, String(v));
  const request = new Request(url, {
    method: r.method,
    ...(r.body ? { body: JSON.stringify(r.body), headers: { "Content-Type": "application/json" } } : {}),
  });
  const response = await retryingFetch(
    t,
    t.maxRetries,
    r.anyMethod,
    r.signal,
  )(request).catch((e) => {
    throw withJobId(e, jobId);
  });
  if (!response.ok) throw await apiError(t, response, label, undefined, jobId);
  return { data: await readJson<T>(t, response, label, ok, what, jobId), response };
}
