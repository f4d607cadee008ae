/**
 * Shape checks of 2xx bodies: only what the client reads from each. A body that fails one is
 * answered with `unexpected_response` (see `readJson`), never a `TypeError` later.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";

/** A `JobAcknowledgement` for `jobId` (`{ job_id, status }`, both strings). */
export const isAckOf = (jobId: string) => (v: unknown) => isObj(v) && v.job_id === jobId && isStr(v.status);

/** A `BatchJob` for `jobId` (its `job_id` and a string `status`). */
export const isJobOf = (jobId: string) => (v: unknown) => isObj(v) && v.job_id === jobId && isStr(v.status);

/** A presign answer for `jobId`: the echoed config and `upload.url`, `s3_key`, `expires_in`, `headers`. */
export const isPresignOf = (jobId: string) => (v: unknown) => {
  const u = isObj(v) ? v.upload : undefined;
  return (
    isObj(v) &&
    v.job_id === jobId &&
    isObj(v.transcription_config) &&
    isObj(u) &&
    isStr(u.url) &&
    isStr(u.s3_key) &&
    typeof u.expires_in === "number" &&
    isObj(u.headers)
  );
};

/** A list page: `items` (jobs with an id and status) and `meta.pages`. */
export const isPage = (v: unknown): boolean =>
  isObj(v) &&
  Array.isArray(v.items) &&
  v.items.every((j) => isObj(j) && isStr(j.job_id) && isStr(j.status)) &&
  isObj(v.meta) &&
  typeof v.meta.pages === "number";

/** A files answer for `jobId`: `inputs`, and `outputs` each with a `format` and a `download_url`. */
export const isFilesOf = (jobId: string) => (v: unknown) =>
  isObj(v) &&
  v.job_id === jobId &&
  Array.isArray(v.inputs) &&
  Array.isArray(v.outputs) &&
  v.outputs.every((o) => isObj(o) && isStr(o.format) && isStr(o.download_url));
