import {
  API_PATH_PREFIX,
  type BatchJob,
  isOutputFormat,
  type JobAcknowledgement,
  type JobFilesResponse,
  type JobListResponse,
  type JsonV2Transcript,
  type Metadata,
  type OutputConfig,
  type OutputFormat,
  type PresignResponse,
  type paths,
  SERVERS,
  type Tracking,
  type TranscriptionConfig,
} from "@slng/types";
import type { Client } from "openapi-fetch";
import { checkApiKey } from "./api-key.js";
import { mimeOf, multipart, type Part, type Source, toWebStream } from "./body.js";
import {
  JobFailedError,
  redactUrl,
  SlngApiError,
  SlngError,
  SlngNetworkError,
  SlngTimeoutError,
  SlngValidationError,
  withJobId,
} from "./errors.js";
import { createClient } from "./openapi-fetch.js";
import { env, type Platform } from "./platform.js";
import {
  apiError,
  backoff,
  describeRequest,
  type FetchLike,
  type RetryInfo,
  retrying,
  retryingFetch,
  send,
  sleep,
  type Transport,
} from "./transport.js";
import {
  audioFormat,
  checkBaseUrl,
  checkJobId,
  checkSize,
  isLocalHost,
  type ListFilters,
  toQuery,
} from "./validate.js";
import { type Learned, type WaitOptions, watchJob } from "./wait.js";

/** Options of {@link createSlngClient}. */
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
export const PRESIGN_THRESHOLD_BYTES: number = 32 * 1024 * 1024;

/** Every method takes an optional `AbortSignal`. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Upload progress: bytes really sent of `total`, and the step. */
export interface UploadProgress {
  loaded: number;
  total: number;
  phase: "presign" | "upload" | "create";
}

/** A caller's stream of known size; read once, so a failed upload of it is never retried. */
export interface StreamInput {
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  size: number;
  filename: string;
}

/** Input of `jobs.create`: a `file` (path in Node, Blob/File, bytes, or stream) or an https `url`. */
export interface CreateJobInput extends RequestOptions {
  file?: string | Blob | Uint8Array | ArrayBuffer | StreamInput;
  url?: string;
  /** Name (with extension) of the upload; defaults to the path's or File's name. */
  filename?: string;
  config?: TranscriptionConfig;
  /** Letters and digits; chosen by the client when absent, so a retried create never makes two jobs. */
  jobId?: string;
  modelCode?: string;
  metadata?: Metadata;
  tracking?: Tracking;
  outputConfig?: OutputConfig;
  /** `auto` (default): multipart up to the threshold, presigned above it. */
  upload?: "auto" | "multipart" | "presign";
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** A transcript in `format`: `json` is the typed json-v2 transcript, `txt`/`srt` are text. */
export type Transcript<F extends OutputFormat> = F extends "json" ? JsonV2Transcript : string;

/** Options of `transcribe`: the wait's options plus the output format (default `txt`). */
export interface TranscribeOptions<F extends OutputFormat> extends WaitOptions {
  format?: F;
}

/** The result of `transcribe`. */
export interface TranscribeResult<F extends OutputFormat> {
  job: BatchJob;
  transcript: Transcript<F>;
}

/** All jobs matching the filters, fetched page by page as you iterate; `pages()` yields whole pages. */
export interface JobList extends AsyncIterable<BatchJob> {
  pages(): AsyncIterable<JobListResponse>;
}

/** The job helpers. */
export interface JobsApi {
  create(input: CreateJobInput): Promise<JobAcknowledgement>;
  get(jobId: string, opts?: RequestOptions): Promise<BatchJob>;
  list(filters?: ListFilters): JobList;
  listPage(filters?: ListFilters): Promise<JobListResponse>;
  delete(jobId: string, opts?: RequestOptions): Promise<JobAcknowledgement>;
  files(jobId: string, opts?: RequestOptions): Promise<JobFilesResponse>;
  wait(jobId: string, opts?: WaitOptions): Promise<BatchJob>;
  watch(jobId: string, opts?: WaitOptions): AsyncIterable<BatchJob>;
  download<F extends OutputFormat>(jobId: string, format: F, opts?: RequestOptions): Promise<Transcript<F>>;
}

/** A client of the SLNG Batch API. */
export interface SlngClient {
  /** The raw openapi-fetch client, typed by the spec's paths (auth, retries and timeouts included). */
  readonly api: Client<paths>;
  readonly jobs: JobsApi;
  /** Create, wait, then download the transcript, in one call. Throws `JobFailedError` if the job fails. */
  transcribe<F extends OutputFormat = "txt">(
    input: CreateJobInput,
    opts?: TranscribeOptions<F>,
  ): Promise<TranscribeResult<F>>;
}

/** `n` random lowercase letters and digits (24 of them carry about 124 bits). */
const randomId = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => (b % 36).toString(36)).join("");
const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));
const JOBS = `${API_PATH_PREFIX}/jobs`;

/** Builds a client for one runtime (see `index.ts` and `node.ts`). */
export function createClientFor(platform: Platform, options: SlngClientOptions = {}): SlngClient {
  const apiKey = checkApiKey(options.apiKey ?? env("SLNG_API_KEY"));
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? env("SLNG_BASE_URL") ?? SERVERS.production,
    options.allowInsecureHttp,
  );
  const origin = new URL(baseUrl).origin;
  const baseFetch: FetchLike = options.fetch ?? ((r) => globalThis.fetch(r));
  const scrub = (s: string) => redactUrl(s.split(apiKey).join("[REDACTED]"));
  const logger = options.logger;
  const t: Transport = {
    fetch: baseFetch,
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 60_000,
    log: logger && ((line) => logger(scrub(line))),
    onRetry: options.onRetry,
    scrub,
    random: Math.random,
  };
  const userAgent = options.userAgent ?? platform.userAgent;
  const nodeHttp =
    platform.httpSend &&
    (options.uploadTransport === "node-http" || (options.uploadTransport !== "fetch" && !options.fetch))
      ? platform.httpSend
      : undefined;
  const threshold = options.presignThresholdBytes ?? PRESIGN_THRESHOLD_BYTES;

  const authHeaders = (h: Record<string, string>) => {
    h.Authorization = `Bearer ${apiKey}`;
    if (userAgent) h["User-Agent"] = userAgent;
    return h;
  };
  const api = createClient<paths>({ baseUrl, fetch: retryingFetch(t) });
  api.use({
    onRequest({ request }) {
      if (new URL(request.url).origin === origin)
        for (const [k, v] of Object.entries(authHeaders({}))) request.headers.set(k, v);
      return request;
    },
  });
  const once = retryingFetch(t, 0);
  const presignFetch = retryingFetch(t, t.maxRetries, true);

  async function call<T>(
    pending: Promise<{ data?: unknown; error?: unknown; response: Response }>,
    label: string,
    jobId?: string,
  ): Promise<T> {
    const { data, error, response } = await pending.catch((e) => {
      throw withJobId(e, jobId);
    });
    if (!response.ok) throw await apiError(t, response, label, error, jobId);
    return data as T;
  }

  const get = async (jobId: string, opts: RequestOptions & { fetch?: FetchLike } = {}) =>
    call<BatchJob>(
      api.GET("/v1/batch/jobs/{jobId}", {
        params: { path: { jobId: checkJobId(jobId) } },
        signal: opts.signal,
        fetch: opts.fetch, // undefined: openapi-fetch's own (the retrying one)
      }),
      `GET ${JOBS}/${jobId}`,
      jobId,
    );

  const files = async (jobId: string, opts: RequestOptions = {}) =>
    call<JobFilesResponse>(
      api.GET("/v1/batch/jobs/{jobId}/files", { params: { path: { jobId: checkJobId(jobId) } }, signal: opts.signal }),
      `GET ${JOBS}/${jobId}/files`,
      jobId,
    );

  const listPage = async (filters: ListFilters = {}) => {
    const query = toQuery(filters);
    return call<JobListResponse>(
      api.GET("/v1/batch/jobs", { params: { query }, signal: filters.signal }),
      `GET ${JOBS}`,
    );
  };

  function list(filters: ListFilters = {}): JobList {
    toQuery(filters);
    async function* pages() {
      for (let page = filters.page ?? 1; ; page++) {
        const res = await listPage({ ...filters, page });
        yield res;
        if (page >= res.meta.pages || res.items.length === 0) return;
      }
    }
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        const seen = new Set<string>();
        for await (const { items } of pages())
          for (const job of items)
            if (!seen.has(job.job_id)) {
              seen.add(job.job_id);
              yield job;
            }
      },
    };
  }

  async function remove(jobId: string, opts: RequestOptions = {}): Promise<JobAcknowledgement> {
    const { data, error, response } = await api
      .DELETE("/v1/batch/jobs/{jobId}", { params: { path: { jobId: checkJobId(jobId) } }, signal: opts.signal })
      .catch((e) => {
        throw withJobId(e, jobId);
      });
    if (response.ok && data) return data;
    const failure = await apiError(t, response, `DELETE ${JOBS}/${jobId}`, error, jobId);
    // A retried DELETE whose first attempt landed is refused; the job's state tells.
    if (response.status === 409 || response.status === 404) {
      const job = await get(jobId, opts).catch(() => undefined);
      if (job?.status === "DELETED") return { job_id: jobId, status: "DELETED" };
    }
    throw failure;
  }

  /** One upload attempt: through node:http when configured, else the configured fetch; stalls time out. */
  async function upload(
    method: string,
    url: string,
    headers: Record<string, string>,
    parts: readonly Part[],
    size: number,
    signal: AbortSignal,
    onTotal: (loaded: number) => void,
    jobId: string,
  ): Promise<Response> {
    const ctl = new AbortController();
    const abort = () => ctl.abort(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          ctl.abort(
            new SlngTimeoutError(`${describeRequest(method, url)} made no progress for ${t.timeoutMs} ms`, jobId),
          ),
        t.timeoutMs,
      );
    };
    let loaded = 0;
    const tick = (n: number) => {
      arm();
      loaded += n;
      onTotal(loaded);
    };
    arm();
    try {
      if (nodeHttp) return await nodeHttp({ url, method, headers, parts, size, signal: ctl.signal, onSent: tick });
      // Blob bodies carry a Content-Length (object stores require one); only a caller's
      // one-shot stream goes as a streamed (chunked) body.
      const blobs = await Promise.all(
        parts.map((p) => (p instanceof Uint8Array || p instanceof Blob ? p : p.blob?.())),
      );
      const streaming = blobs.some((b) => !b);
      const body = streaming ? toWebStream(parts, tick) : new Blob(blobs as BlobPart[]);
      const res = await baseFetch(
        new Request(url, { method, headers, body, signal: ctl.signal, duplex: "half" } as RequestInit),
      );
      if (!streaming) tick(size);
      return res;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", abort);
    }
  }

  /**
   * Sends a create (`POST /jobs`) exactly once in effect: the job id is fixed, so after an
   * ambiguous failure (network, timeout, 500/502/504) the job is looked up before sending
   * again, and a retry refused as "already exists"/409 means the first attempt landed. A lookup
   * that fails too leaves it unknown: the create is sent again (safe with the same id) while
   * the retry budget lasts. The error it ends with names the job id.
   */
  async function submit(
    jobId: string,
    attempt: (signal: AbortSignal) => Promise<Response>,
    replayable: boolean,
    signal: AbortSignal | undefined,
    uploadTimeout = false,
  ): Promise<JobAcknowledgement> {
    const label = `POST ${JOBS} (job ${jobId})`;
    for (let n = 0; ; n++) {
      let res: Response | undefined;
      let failure: SlngError;
      try {
        res = await send(t, label, attempt, { signal, retries: 0, timeoutMs: uploadTimeout ? 0 : t.timeoutMs, jobId });
        if (res.ok) return (await res.json()) as JobAcknowledgement;
        failure = await apiError(t, res, label, undefined, jobId);
      } catch (e) {
        if (!(e instanceof SlngNetworkError)) throw e;
        failure = withJobId(e, jobId);
      }
      const status = res?.status ?? 0;
      const landed = n > 0 && (status === 409 || (status === 400 && /already|exist/i.test(failure.message)));
      let unknown = false;
      if (landed || !res || status === 500 || status === 502 || status === 504) {
        const found = await lookup(jobId, signal, failure);
        if (!(found instanceof SlngError)) {
          if (found) return found;
        } else {
          unknown = true;
          if (landed) failure = found;
        }
      }
      if (!replayable || n >= t.maxRetries || !(landed ? unknown : failure.retryable)) throw failure;
      const delay = Math.max((failure as SlngApiError).retryAfterMs ?? 0, backoff(n, t.random));
      retrying(t, n, t.maxRetries, delay, label, res?.status, failure);
      await sleep(delay, signal);
    }
  }

  /**
   * Looks a job up after an ambiguous create: its acknowledgement when it exists, `undefined`
   * when it does not (404), or the retryable error that left it unknown. Other errors end the
   * create with `failure` (an abort with the abort).
   */
  async function lookup(
    jobId: string,
    signal: AbortSignal | undefined,
    failure: SlngError,
  ): Promise<JobAcknowledgement | SlngError | undefined> {
    try {
      const job = await get(jobId, { signal });
      return { job_id: job.job_id, status: job.status };
    } catch (e) {
      if (e instanceof SlngApiError && e.status === 404) return undefined;
      if (e instanceof SlngError && e.code === "aborted") throw e;
      if (e instanceof SlngError && e.retryable) return withJobId(e, jobId);
      throw failure;
    }
  }

  async function resolveSource(input: CreateJobInput): Promise<Source> {
    const f = input.file;
    let name = input.filename;
    let part: Part;
    let type = "";
    let replayable = true;
    if (typeof f === "string") {
      if (!platform.openPath)
        throw new SlngValidationError("file paths need Node, Deno or Bun; in a browser pass a File or Blob", "file");
      const opened = await platform.openPath(f);
      part = opened.part;
      name ??= opened.name;
    } else if (f instanceof Blob) {
      part = f;
      type = f.type;
      name ??= (f as File).name;
    } else if (f instanceof Uint8Array || f instanceof ArrayBuffer) {
      part = f instanceof Uint8Array ? f : new Uint8Array(f);
    } else if (f && typeof f === "object" && "stream" in f) {
      let used = false;
      const stream = f.stream;
      part = {
        size: f.size,
        open() {
          if (used)
            throw new SlngValidationError("the stream was already read; pass a file path or bytes to retry", "file");
          used = true;
          return stream;
        },
      };
      name ??= f.filename;
      replayable = false;
    } else
      throw new SlngValidationError(
        "file must be a path, Blob/File, Uint8Array, ArrayBuffer or { stream, size, filename }",
        "file",
      );
    if (!name)
      throw new SlngValidationError(
        "pass filename (with its extension, e.g. meeting.wav) for bytes or a Blob",
        "filename",
      );
    const format = audioFormat(name);
    const size = checkSize(part instanceof Uint8Array ? part.byteLength : part.size);
    return { name, type: type || mimeOf(format), size, part, replayable };
  }

  async function create(input: CreateJobInput): Promise<JobAcknowledgement> {
    const { signal } = input;
    const jobId = input.jobId === undefined ? randomId(24) : checkJobId(input.jobId);
    if (!input.file === !input.url) throw new SlngValidationError("pass exactly one of file or url", "file");
    const mode = input.upload ?? "auto";
    if (!["auto", "multipart", "presign"].includes(mode))
      throw new SlngValidationError(`upload must be auto, multipart or presign, got ${JSON.stringify(mode)}`, "upload");
    const config = input.config ?? {};
    const common = {
      model_code: input.modelCode,
      metadata: input.metadata,
      tracking: input.tracking,
      output_config: input.outputConfig,
    };
    const postJson = (body: object) => (s: AbortSignal) =>
      baseFetch(
        new Request(baseUrl + JOBS, {
          method: "POST",
          headers: authHeaders({ "Content-Type": "application/json" }),
          body: JSON.stringify(body),
          signal: s,
        }),
      );

    if (input.url !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(input.url);
      } catch {}
      if (url?.protocol !== "https:" && !(url?.protocol === "http:" && isLocalHost(url.hostname)))
        throw new SlngValidationError(
          `url must be an https:// URL, got ${JSON.stringify(redactUrl(input.url))}`,
          "url",
        );
      return submit(
        jobId,
        postJson({ input_url: input.url, transcription_config: config, job_id: jobId, ...common }),
        true,
        signal,
      );
    }

    const src = await resolveSource(input);
    const report = input.onUploadProgress;
    let last = -1;
    let lastPhase = "";
    const progress = (phase: UploadProgress["phase"], loaded: number, total: number) => {
      if (phase !== lastPhase || loaded === total || loaded - last >= 262_144 || loaded < last) {
        last = loaded;
        lastPhase = phase;
        report?.({ loaded, total, phase });
      }
    };

    if (mode === "multipart" || (mode === "auto" && src.size <= threshold)) {
      const body = multipart(
        {
          transcription_config: JSON.stringify(config),
          job_id: jobId,
          model_code: common.model_code,
          metadata: json(common.metadata),
          tracking: json(common.tracking),
          output_config: json(common.output_config),
        },
        src,
        `slng${randomId(24)}`,
      );
      const headers = authHeaders({ "Content-Type": body.type });
      const ack = await submit(
        jobId,
        (s) =>
          upload(
            "POST",
            baseUrl + JOBS,
            headers,
            body.parts,
            body.size,
            s,
            (n) => {
              progress("upload", n, body.size);
              if (n === body.size) progress("create", n, body.size);
            },
            jobId,
          ),
        src.replayable,
        signal,
        true,
      );
      return ack;
    }

    const presign = async () => {
      progress("presign", 0, src.size);
      return {
        at: Date.now(),
        p: await call<PresignResponse>(
          api.POST("/v1/batch/jobs", {
            body: {
              mode: "presign",
              filename: src.name,
              content_type: src.type,
              job_id: jobId,
              transcription_config: config,
              tracking: common.tracking, // undefined fields are left out of the JSON
              output_config: common.output_config,
            },
            signal,
            fetch: presignFetch,
          }),
          `POST ${JOBS} (presign)`,
          jobId,
        ),
      };
    };
    let { p, at } = await presign();
    for (let renewed = false; ; ) {
      if (Date.now() - at > (p.upload.expires_in - 30) * 1000) ({ p, at } = await presign());
      const { url, headers } = p.upload;
      const res = await send(
        t,
        describeRequest("PUT", url),
        (s) =>
          upload("PUT", url, { ...headers }, [src.part], src.size, s, (n) => progress("upload", n, src.size), jobId),
        { signal, retries: src.replayable ? t.maxRetries : 0, timeoutMs: 0, jobId },
      );
      if (res.ok) {
        await res.body?.cancel();
        break;
      }
      if (res.status === 403 && !renewed && src.replayable) {
        // The URL expired (or was refused): presign again once and upload anew.
        await res.body?.cancel();
        renewed = true;
        ({ p, at } = await presign());
        continue;
      }
      throw await apiError(t, res, describeRequest("PUT", url), undefined, jobId);
    }
    progress("create", src.size, src.size);
    return submit(
      jobId,
      postJson({
        s3_key: p.upload.s3_key,
        job_id: p.job_id,
        transcription_config: p.transcription_config,
        model_code: common.model_code,
        metadata: common.metadata,
        tracking: p.tracking,
        output_config: p.output_config,
      }),
      true,
      signal,
    );
  }

  async function download<F extends OutputFormat>(
    jobId: string,
    format: F,
    opts: RequestOptions = {},
  ): Promise<Transcript<F>> {
    if (!isOutputFormat(format))
      throw new SlngValidationError(`format must be json, txt or srt, got ${JSON.stringify(format)}`, "format");
    for (let refreshed = false; ; refreshed = true) {
      const out = (await files(jobId, opts)).outputs.find((o) => o.format === format);
      if (!out) {
        const job = await get(jobId, opts);
        throw new SlngError(
          job.status === "DONE"
            ? `Job ${jobId} has no ${format} output`
            : `Job ${jobId} is ${job.status}: its outputs can be downloaded once it is DONE`,
          { code: "output_not_available", jobId },
        );
      }
      const label = describeRequest("GET", out.download_url);
      // Storage URLs are fetched bare: no API key, no middleware.
      const res = await send(t, label, (s) => baseFetch(new Request(out.download_url, { signal: s })), {
        signal: opts.signal,
        retries: t.maxRetries,
        timeoutMs: t.timeoutMs,
        jobId,
      });
      if (res.ok) {
        const text = await res.text();
        if (format !== "json") return text as Transcript<F>;
        try {
          return JSON.parse(text) as Transcript<F>;
        } catch {
          throw new SlngError(`The json output of job ${jobId} is not valid JSON`, { code: "http_error", jobId });
        }
      }
      if (res.status === 403 && !refreshed) {
        await res.body?.cancel();
        continue;
      }
      throw await apiError(t, res, label, undefined, jobId);
    }
  }

  const learned: Learned = {};
  const poll = async (jobId: string, signal: AbortSignal) => {
    const { data, error, response } = await api.GET("/v1/batch/jobs/{jobId}", {
      params: { path: { jobId } },
      signal,
      fetch: once,
    });
    if (!response.ok || !data) throw await apiError(t, response, `GET ${JOBS}/${jobId}`, error, jobId);
    return { job: data, retryAfter: response.headers.get("retry-after"), date: response.headers.get("date") };
  };
  const watch = (jobId: string, opts: WaitOptions = {}) => watchJob(poll, jobId, opts, learned);
  async function wait(jobId: string, opts: WaitOptions = {}): Promise<BatchJob> {
    let last: BatchJob | undefined;
    for await (const job of watchJob(poll, jobId, opts, learned, false)) last = job;
    const job = last as BatchJob;
    if (job.status === "FAILED") {
      const message = job.error_message?.message;
      throw new JobFailedError(message ? { ...job, error_message: { message: scrub(message) } } : job);
    }
    return job;
  }

  /**
   * After a create that gave up without knowing whether its job exists (the error names the id
   * and is retryable), resumes as the README tells callers to: looks the job up by `err.jobId`
   * and carries on with it if it exists; otherwise rethrows the create's error.
   */
  async function resumable(e: unknown, signal: AbortSignal | undefined): Promise<string> {
    if (!(e instanceof SlngError && e.jobId && e.retryable)) throw e;
    const found = await lookup(e.jobId, signal, e);
    if (found && !(found instanceof SlngError)) return found.job_id;
    throw e;
  }

  const jobs: JobsApi = {
    create,
    get: (id, o) => get(id, o),
    list,
    listPage,
    delete: remove,
    files,
    wait,
    watch,
    download,
  };

  return {
    api,
    jobs,
    async transcribe<F extends OutputFormat = "txt">(input: CreateJobInput, opts: TranscribeOptions<F> = {}) {
      const signal = opts.signal ?? input.signal;
      const job_id = await create({ ...input, signal }).then(
        (ack) => ack.job_id,
        (e) => resumable(e, signal),
      );
      const job = await wait(job_id, { ...opts, signal });
      if (job.status !== "DONE")
        throw new SlngError(
          `Job ${job_id} ended ${job.expired_at ? "expired" : job.status} before its transcript could be read`,
          { code: "output_not_available", jobId: job_id },
        );
      const transcript = await download(job_id, (opts.format ?? "txt") as F, { signal });
      return { job, transcript };
    },
  };
}
