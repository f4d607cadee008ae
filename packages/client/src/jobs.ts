import type { BatchJob, JobAcknowledgement, JobFilesResponse } from "@slng/types";
import { call, JOBS, type RequestOptions, type SlngCore, state } from "./core.js";
import { withJobId } from "./errors.js";
import { apiError } from "./transport.js";
import { checkJobId } from "./validate.js";

/** Reads one job (`GET /v1/batch/jobs/{jobId}`); retried on 429, 5xx and network errors. */
export async function getJob(core: SlngCore, jobId: string, opts: RequestOptions = {}): Promise<BatchJob> {
  return call<BatchJob>(
    core,
    core.api.GET("/v1/batch/jobs/{jobId}", { params: { path: { jobId: checkJobId(jobId) } }, signal: opts.signal }),
    `GET ${JOBS}/${jobId}`,
    jobId,
  );
}

/** The job's input and output files with their signed download URLs (`GET …/{jobId}/files`). */
export async function getJobFiles(core: SlngCore, jobId: string, opts: RequestOptions = {}): Promise<JobFilesResponse> {
  return call<JobFilesResponse>(
    core,
    core.api.GET("/v1/batch/jobs/{jobId}/files", {
      params: { path: { jobId: checkJobId(jobId) } },
      signal: opts.signal,
    }),
    `GET ${JOBS}/${jobId}/files`,
    jobId,
  );
}

/**
 * Deletes a job (`DELETE /v1/batch/jobs/{jobId}`). A retried DELETE whose first attempt landed
 * is refused (409/404); then the job's state decides, so a job that is gone counts as deleted.
 */
export async function deleteJob(core: SlngCore, jobId: string, opts: RequestOptions = {}): Promise<JobAcknowledgement> {
  const { data, error, response } = await core.api
    .DELETE("/v1/batch/jobs/{jobId}", { params: { path: { jobId: checkJobId(jobId) } }, signal: opts.signal })
    .catch((e) => {
      throw withJobId(e, jobId);
    });
  if (response.ok && data) return data;
  const failure = await apiError(state(core).t, response, `DELETE ${JOBS}/${jobId}`, error, jobId);
  if (response.status === 409 || response.status === 404) {
    const job = await getJob(core, jobId, opts).catch(() => undefined);
    if (job?.status === "DELETED") return { job_id: jobId, status: "DELETED" };
  }
  throw failure;
}
