import { API_PATH_PREFIX, PRODUCTION_BASE_URL, type paths } from "@slng/types";
import type { Client } from "openapi-fetch";
import { checkApiKey } from "./api-key.js";
import { redactUrl, withJobId } from "./errors.js";
import { createClient } from "./openapi-fetch.js";
import { env, type Platform } from "./platform.js";
import { apiError, type FetchLike, type RetryInfo, retryingFetch, type Transport } from "./transport.js";
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
  /** Receives one line per HTTP attempt (method, redacted URL, status, time, retry). Never sees the key. */
  logger?: (line: string) => void;
  /**
   * Called before each automatic retry, just before the client sleeps: which retry, of how many,
   * the wait in ms, the request (signatures redacted, never the key), and the status or error
   * being retried. Use it to show "retrying in N s…". It runs synchronously; what it throws
   * fails the request.
   */
  onRetry?: (info: RetryInfo) => void;
  /** Allow a plain-`http` `baseUrl` on a remote host (sends the key in clear). Default false. */
  allowInsecureHttp?: boolean;
  /**
   * How uploads travel. `auto` (default): in Node, through `node:http` (streamed, flat memory,
   * progress = bytes sent) unless a custom `fetch` is given; otherwise through `fetch`.
   */
  uploadTransport?: "auto" | "fetch" | "node-http";
  /** `upload: "auto"` uses the presigned flow above this many bytes; default {@link PRESIGN_THRESHOLD_BYTES}. */
  presignThresholdBytes?: number;
}

/** `upload: "auto"` sends inputs up to this size (32 MiB) as multipart, larger ones through the presigned flow. */
export const PRESIGN_THRESHOLD_BYTES: number = 33_554_432;

/** Every method takes an optional `AbortSignal`. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * The small client the standalone functions (`getJob`, `createJob`, `waitForJob`…) take: the
 * checked options, the retrying transport and `api`. Import only the functions you call and
 * a bundler leaves the rest out.
 */
export interface SlngCore {
  /** The raw openapi-fetch client, typed by the spec's paths (auth, retries and timeouts included). */
  readonly api: Client<paths>;
  /** The API origin requests go to (no trailing slash). */
  readonly baseUrl: string;
}

/** What the standalone functions read from a core (internal: not part of the public type). */
export interface CoreState extends SlngCore {
  /** The runtime: file paths and `node:http` in Node, nothing in a browser. */
  readonly platform: Platform;
  /** The options the core was made with (a copy), for what only some functions need. */
  readonly o: SlngClientOptions;
  /** The retrying HTTP layer. */
  readonly t: Transport;
  /** Adds the key (and `User-Agent`) to headers sent to the API. */
  readonly auth: (headers: Record<string, string>) => Record<string, string>;
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
 * the openapi-fetch client that sends the key to `baseUrl`'s origin only.
 */
export function createCoreFor(platform: Platform, options: SlngClientOptions = {}): SlngCore {
  const apiKey = checkApiKey(options.apiKey ?? env("SLNG_API_KEY"));
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? env("SLNG_BASE_URL") ?? PRODUCTION_BASE_URL,
    options.allowInsecureHttp,
  );
  const origin = new URL(baseUrl).origin;
  const scrub = (s: string) => redactUrl(s.split(apiKey).join("[REDACTED]"));
  const logger = options.logger;
  const t: Transport = {
    fetch: options.fetch ?? ((r) => globalThis.fetch(r)),
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 60_000,
    log: logger && ((line) => logger(scrub(line))),
    onRetry: options.onRetry,
    scrub,
  };
  const userAgent = options.userAgent ?? platform.userAgent;
  const auth = (h: Record<string, string>) => {
    h.Authorization = `Bearer ${apiKey}`;
    if (userAgent) h["User-Agent"] = userAgent;
    return h;
  };
  const api = createClient<paths>({ baseUrl, fetch: retryingFetch(t) });
  api.use({
    onRequest({ request }) {
      if (new URL(request.url).origin === origin)
        for (const [k, v] of Object.entries(auth({}))) request.headers.set(k, v);
      return request;
    },
  });
  const core: CoreState = { api, baseUrl, platform, o: { ...options }, t, auth };
  return core;
}

/**
 * Awaits an openapi-fetch call: its data when the answer is 2xx, else the mapped
 * `SlngApiError`; network errors name `jobId`.
 */
export async function call<T>(
  core: SlngCore,
  pending: Promise<{ data?: unknown; error?: unknown; response: Response }>,
  label: string,
  jobId?: string,
): Promise<T> {
  const { data, error, response } = await pending.catch((e) => {
    throw withJobId(e, jobId);
  });
  if (!response.ok) throw await apiError(state(core).t, response, label, error, jobId);
  return data as T;
}
