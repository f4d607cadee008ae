export type { JobsApi, SlngClient } from "./client.js";
export { PRESIGN_THRESHOLD_BYTES, type RequestOptions, type SlngClientOptions, type SlngCore } from "./core.js";
export { type CreateJobInput, createJob, type UploadProgress } from "./create.js";
export { downloadTranscript, type Transcript } from "./download.js";
export {
  type ErrorEnvelope,
  JobFailedError,
  redactUrl,
  SlngAbortError,
  SlngApiError,
  SlngAuthenticationError,
  SlngBadRequestError,
  SlngConflictError,
  SlngError,
  type SlngErrorCode,
  SlngInternalServerError,
  SlngNetworkError,
  SlngNotFoundError,
  SlngPayloadTooLargeError,
  SlngPermissionDeniedError,
  SlngRateLimitError,
  SlngTimeoutError,
  SlngValidationError,
  WaitTimeoutError,
} from "./errors.js";
export type { ExchangeContext, ExchangeTarget, SlngMiddleware } from "./exchange.js";
export { deleteJob, getJob, getJobFiles } from "./jobs.js";
export { type JobList, listJobs, listJobsPage } from "./list.js";
export type { LogLevel, SlngLogger } from "./log.js";
export { createSlngApi } from "./raw-api.js";
export { SlngPromise, type WithResponse } from "./respond.js";
export { type FileInput, type StreamInput, toFile } from "./source.js";
export { type TranscribeOptions, type TranscribeResult, transcribe } from "./transcribe.js";
export type { FetchLike, RetryInfo } from "./transport.js";
export type { ListFilters } from "./validate.js";
export { isFinal, type WaitOptions } from "./wait.js";
export { waitForJob, watchJob } from "./watch.js";
