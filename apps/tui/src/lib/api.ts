import type {
  BatchJob,
  JobAcknowledgement,
  JobFilesResponse,
  JobListResponse,
  JobSortField,
  JobStatus,
  JsonV2Transcript,
  OutputFormat,
  SortOrder,
} from "@slng/types";

/** Filters of one job-list page (camelCase, as `@slng/client`'s `jobs.listPage` takes them). */
export interface ListFilters {
  page?: number;
  pageSize?: number;
  status?: JobStatus[];
  sortBy?: JobSortField;
  sortOrder?: SortOrder;
  signal?: AbortSignal;
}

/** Options of a watch: as `@slng/client`'s `jobs.watch`. */
export interface WatchOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
}

/**
 * An upload progress report: bytes of the file really sent and the file's size (the adapter
 * converts the client's request-body counts, which include a multipart body's form fields).
 */
export interface UploadProgress {
  loaded: number;
  total: number;
  phase: "presign" | "upload" | "create";
}

/**
 * The part of `@slng/client` the terminal UI uses. Views and controllers depend on this
 * interface, never on client internals, so tests can drive them with a fake.
 */
export interface JobsApi {
  get(jobId: string, opts?: { signal?: AbortSignal }): Promise<BatchJob>;
  watch(jobId: string, opts?: WatchOptions): AsyncIterable<BatchJob>;
  listPage(filters?: ListFilters): Promise<JobListResponse>;
  delete(jobId: string, opts?: { signal?: AbortSignal }): Promise<JobAcknowledgement>;
  files(jobId: string, opts?: { signal?: AbortSignal }): Promise<JobFilesResponse>;
  download(jobId: string, format: "txt" | "srt", opts?: { signal?: AbortSignal }): Promise<string>;
  downloadJson(jobId: string, opts?: { signal?: AbortSignal }): Promise<JsonV2Transcript>;
  create(input: CreateInput): Promise<JobAcknowledgement>;
  /** How often to poll a job in `status` (see `watchPace`); absent: the client's defaults. */
  pace?(status?: JobStatus): { minIntervalMs: number; maxIntervalMs: number };
}

/** What `submit` sends: a file path or bytes, or an https URL, plus the job's settings. */
export interface CreateInput {
  file?: string | Uint8Array;
  url?: string;
  filename?: string;
  config?: Record<string, unknown>;
  jobId?: string;
  modelCode?: string;
  metadata?: Record<string, unknown>;
  tracking?: { title?: string; reference?: string; tags?: string[] };
  onUploadProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** Connection health as seen by the monitoring fetch: failures since the last success. */
export interface ConnectionEvent {
  ok: boolean;
  /** e.g. "503 Service Unavailable" or "connection reset". */
  detail?: string;
  at: number;
  /** When the client has scheduled its next attempt, how long until it (ms). */
  retryInMs?: number;
}

/** Formats of transcript the API offers, for `--format`. */
export type TranscriptFormat = OutputFormat;
