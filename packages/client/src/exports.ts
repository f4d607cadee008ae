export type {
  CreateJobInput,
  JobList,
  JobsApi,
  RequestOptions,
  SlngClient,
  SlngClientOptions,
  StreamInput,
  TranscribeOptions,
  TranscribeResult,
  Transcript,
  UploadProgress,
} from "./client.js";
export { PRESIGN_THRESHOLD_BYTES } from "./client.js";
export {
  type ErrorEnvelope,
  JobFailedError,
  redactUrl,
  SlngAbortError,
  SlngApiError,
  SlngError,
  type SlngErrorCode,
  SlngNetworkError,
  SlngTimeoutError,
  SlngValidationError,
  WaitTimeoutError,
} from "./errors.js";
export type { FetchLike, RetryInfo } from "./transport.js";
export type { ListFilters } from "./validate.js";
export { isFinal, type WaitOptions } from "./wait.js";
