import { stat } from "node:fs/promises";
import { createSlngClient, type RetryInfo } from "@slng/client";
import type { JsonV2Transcript } from "@slng/types";
import type { ConnectionEvent, CreateInput, JobsApi, UploadProgress } from "./api.js";
import { watchPace } from "./watch-pace.js";

/**
 * Wraps `fetch` to report connection health: every response below 500 (other than 429) is a
 * success, a 5xx/429 or a network error a failure. The watch view uses it to show "retrying…"
 * the moment the API stops answering, while the client retries underneath.
 */
export function createMonitoredFetch(
  onEvent: (event: ConnectionEvent) => void,
  base: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    try {
      const response = await base(input, init);
      if (response.status >= 500 || response.status === 429) {
        onEvent({ ok: false, detail: `${response.status} ${response.statusText || "error"}`.trim(), at: Date.now() });
      } else {
        onEvent({ ok: true, at: Date.now() });
      }
      return response;
    } catch (error) {
      const aborted = init?.signal?.aborted || (error as { name?: string }).name === "AbortError";
      if (!aborted) onEvent({ ok: false, detail: networkDetail(error), at: Date.now() });
      throw error;
    }
  };
}

function networkDetail(error: unknown): string {
  let e = error as { message?: string; code?: string; cause?: unknown } | undefined;
  let deepest: string | undefined;
  for (let i = 0; i < 4 && e; i++) {
    if (e.code) return `${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ""}`;
    if (e.message) deepest = e.message;
    e = e.cause as typeof e;
  }
  // fetch's own "fetch failed" says less than its cause ("bad port", "invalid URL"…).
  return deepest || (error as Error)?.message || "connection failed";
}

/**
 * Converts the client's progress (bytes of the request body: a multipart body is the file plus
 * its form fields and boundaries) to bytes of the file itself. The fields go before the file,
 * so the file's bytes are what was sent beyond the overhead; at the end it is exactly the file.
 */
export function fileProgress(p: UploadProgress, fileSize: number): UploadProgress {
  const overhead = Math.max(0, p.total - fileSize);
  const loaded = p.loaded >= p.total ? fileSize : Math.min(fileSize, Math.max(0, p.loaded - overhead));
  return { loaded, total: fileSize, phase: p.phase };
}

async function sizeOf(file: CreateInput["file"]): Promise<number | undefined> {
  if (file === undefined) return undefined;
  if (typeof file !== "string") return file.byteLength;
  return (await stat(file).catch(() => undefined))?.size;
}

/** Options of {@link createJobsApi}. */
export interface JobsApiOptions {
  apiKey: string;
  baseUrl: string;
  /**
   * A fetch for every request (tests: the emulator's in-process one). Without it, API calls go
   * through the global fetch (monitored) and uploads stream through `node:http`.
   */
  fetch?: typeof fetch;
  onConnection?: (event: ConnectionEvent) => void;
  maxRetries?: number;
  userAgent?: string;
}

/** The terminal UI's {@link JobsApi} over `@slng/client`. */
export function createJobsApi(options: JobsApiOptions): JobsApi {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const fetchImpl = options.onConnection ? createMonitoredFetch(options.onConnection, baseFetch) : baseFetch;
  const onConnection = options.onConnection;
  const slng = createSlngClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    fetch: fetchImpl,
    // The monitoring wrapper is a custom fetch, which would send uploads down the client's
    // buffering fetch path (the whole file in memory, progress only at the end): keep them on
    // node:http unless the caller brought its own fetch.
    uploadTransport: options.fetch ? "fetch" : "node-http",
    // The client says when it will try again; the watch view shows "retrying in N s…".
    ...(onConnection
      ? { onRetry: ({ delayMs }: RetryInfo) => onConnection({ ok: false, at: Date.now(), retryInMs: delayMs }) }
      : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    userAgent: options.userAgent ?? "slng-batch-tui",
  });
  const jobs = slng.jobs;
  return {
    get: (id, opts) => jobs.get(id, opts),
    watch: (id, opts) => jobs.watch(id, { timeoutMs: Number.POSITIVE_INFINITY, ...opts }),
    // Paced so that every stage of 1 s or longer is seen (and timed) by a poll: see watchPace.
    pace: (status) => watchPace(options.baseUrl, status),
    listPage: (filters) => jobs.listPage(filters),
    delete: (id, opts) => jobs.delete(id, opts),
    files: (id, opts) => jobs.files(id, opts),
    download: async (id, format, opts) => (await jobs.download(id, format, opts)) as string,
    downloadJson: async (id, opts) => (await jobs.download(id, "json", opts)) as JsonV2Transcript,
    create: async (input: CreateInput) => {
      const report = input.onUploadProgress;
      const fileSize = report ? await sizeOf(input.file) : undefined;
      const onUploadProgress =
        report && fileSize !== undefined ? (p: UploadProgress) => report(fileProgress(p, fileSize)) : report;
      return jobs.create({ ...input, onUploadProgress } as Parameters<typeof jobs.create>[0]);
    },
  };
}
