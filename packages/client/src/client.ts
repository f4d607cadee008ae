import type { BatchJob, JobAcknowledgement, JobFilesResponse, JobListResponse, OutputFormat } from "@slng/types";
import { createCoreFor, type RequestOptions, type SlngClientOptions, type SlngCore } from "./core.js";
import { type CreateJobInput, createJob } from "./create.js";
import { downloadTranscript, type Transcript } from "./download.js";
import type { SlngMiddleware } from "./exchange.js";
import { deleteJob, getJob, getJobFiles } from "./jobs.js";
import { type JobList, listJobs, listJobsPage } from "./list.js";
import type { Platform } from "./platform.js";
import type { SlngPromise } from "./respond.js";
import { type TranscribeOptions, type TranscribeResult, transcribe } from "./transcribe.js";
import type { ListFilters } from "./validate.js";
import type { WaitOptions } from "./wait.js";
import { waitForJob, watchJob } from "./watch.js";

/** The job helpers; each promise also has `.withResponse()`. */
export interface JobsApi {
  create(input: CreateJobInput): SlngPromise<JobAcknowledgement>;
  get(jobId: string, opts?: RequestOptions): SlngPromise<BatchJob>;
  list(filters?: ListFilters): JobList;
  listPage(filters?: ListFilters): SlngPromise<JobListResponse>;
  delete(jobId: string, opts?: RequestOptions): SlngPromise<JobAcknowledgement>;
  files(jobId: string, opts?: RequestOptions): SlngPromise<JobFilesResponse>;
  wait(jobId: string, opts?: WaitOptions): SlngPromise<BatchJob>;
  watch(jobId: string, opts?: WaitOptions): AsyncIterable<BatchJob>;
  download<F extends OutputFormat>(jobId: string, format: F, opts?: RequestOptions): SlngPromise<Transcript<F>>;
}

/** A client of the SLNG Batch API. */
export interface SlngClient {
  /** The core this client wraps: pass it to the standalone functions, or to `createSlngApi` for the raw client. */
  readonly core: SlngCore;
  readonly jobs: JobsApi;
  /** Create, wait, then download the transcript, in one call. Throws `JobFailedError` if the job fails. */
  transcribe<F extends OutputFormat = "txt">(
    input: CreateJobInput,
    opts?: TranscribeOptions<F>,
  ): SlngPromise<TranscribeResult<F>>;
  /** Adds a middleware to every later HTTP exchange, API and storage (see `SlngMiddleware`). */
  use(middleware: SlngMiddleware): void;
}

/** The object client over a core: every method is the standalone function of the same job. */
export function clientOf(core: SlngCore): SlngClient {
  const jobs: JobsApi = {
    create: (input) => createJob(core, input),
    get: (id, o) => getJob(core, id, o),
    list: (filters) => listJobs(core, filters),
    listPage: (filters) => listJobsPage(core, filters),
    delete: (id, o) => deleteJob(core, id, o),
    files: (id, o) => getJobFiles(core, id, o),
    wait: (id, o) => waitForJob(core, id, o),
    watch: (id, o) => watchJob(core, id, o),
    download: (id, format, o) => downloadTranscript(core, id, format, o),
  };
  return { core, jobs, transcribe: (input, opts) => transcribe(core, input, opts), use: core.use };
}

/** Builds a client for one runtime (see `index.ts` and `node.ts`). */
export function createClientFor(platform: Platform, options: SlngClientOptions = {}): SlngClient {
  return clientOf(createCoreFor(platform, options));
}
