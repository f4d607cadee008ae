import type { BatchJob, JobAcknowledgement, JobFilesResponse } from "@slng/types";
import { isAckOf, isFilesOf, isJobOf } from "./checks.js";
import { call, JOBS, type RequestOptions, type SlngCore, tx } from "./core.js";
import { type SlngApiError, withJobId } from "./errors.js";
import { type Answer, promised, type SlngPromise } from "./respond.js";
import { checkJobId } from "./validate.js";

/** `GET /v1/batch/jobs/{jobId}` with its data and response (internal: `lookup` and `delete` use it too). */
export function readJob(core: SlngCore, jobId: string, opts: RequestOptions = {}): Promise<Answer<BatchJob>> {
  return call<BatchJob>(
    core,
    tx(core, opts),
    { method: "GET", path: `${JOBS}/${checkJobId(jobId)}`, signal: opts.signal },
    `GET ${JOBS}/${jobId}`,
    isJobOf(jobId),
    `job ${jobId}`,
    jobId,
  );
}

/**
 * Reads one job (`GET /v1/batch/jobs/{jobId}`); retried on 429, 5xx and network errors. An
 * answer that is not this job is refused (`unexpected_response`).
 */
export function getJob(core: SlngCore, jobId: string, opts?: RequestOptions): SlngPromise<BatchJob> {
  return promised(() => readJob(core, jobId, opts));
}

/** The job's input and output files with their signed download URLs (`GET …/{jobId}/files`). */
export function getJobFiles(core: SlngCore, jobId: string, opts: RequestOptions = {}): SlngPromise<JobFilesResponse> {
  return promised(() =>
    call<JobFilesResponse>(
      core,
      tx(core, opts),
      { method: "GET", path: `${JOBS}/${checkJobId(jobId)}/files`, signal: opts.signal },
      `GET ${JOBS}/${jobId}/files`,
      isFilesOf(jobId),
      `the files of job ${jobId}`,
      jobId,
    ),
  );
}

/**
 * Deletes a job (`DELETE /v1/batch/jobs/{jobId}`). A retried DELETE whose first attempt landed
 * is refused (409/404); then the job's state decides, so a job that is gone counts as deleted.
 */
export function deleteJob(core: SlngCore, jobId: string, opts: RequestOptions = {}): SlngPromise<JobAcknowledgement> {
  return promised(async () => {
    const label = `DELETE ${JOBS}/${jobId}`;
    const request = { method: "DELETE", path: `${JOBS}/${checkJobId(jobId)}`, signal: opts.signal };
    try {
      return await call<JobAcknowledgement>(
        core,
        tx(core, opts),
        request,
        label,
        isAckOf(jobId),
        "a job acknowledgement",
        jobId,
      );
    } catch (e) {
      const status = (e as SlngApiError).status;
      if (status === 409 || status === 404) {
        const job = await readJob(core, jobId, opts).catch(() => undefined);
        if (job?.data.status === "DELETED")
          return { data: { job_id: jobId, status: "DELETED" }, response: job.response };
      }
      throw withJobId(e, jobId);
    }
  });
}
