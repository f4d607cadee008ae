import type { BatchJob } from "@slng/types";
import { JOBS, type SlngCore, state } from "./core.js";
import { JobFailedError } from "./errors.js";
import { apiError, retryingFetch } from "./transport.js";
import { watchJob as follow, type Poll, type WaitOptions } from "./wait.js";

/** One poll of a wait: a single GET (the waiter rides out transient errors itself). */
const poller =
  (core: SlngCore): Poll =>
  async (jobId, signal) => {
    const { data, error, response } = await core.api.GET("/v1/batch/jobs/{jobId}", {
      params: { path: { jobId } },
      signal,
      fetch: retryingFetch(state(core).t, 0),
    });
    if (!response.ok || !data) throw await apiError(state(core).t, response, `GET ${JOBS}/${jobId}`, error, jobId);
    return { job: data, retryAfter: response.headers.get("retry-after"), date: response.headers.get("date") };
  };

/**
 * Yields the job's first snapshot and then every change until it is final (DONE, FAILED,
 * DELETED or expired), polling each stage as it is predicted to end. Ends in
 * `WaitTimeoutError` at the deadline; abort with `opts.signal`.
 */
export function watchJob(core: SlngCore, jobId: string, opts: WaitOptions = {}): AsyncIterable<BatchJob> {
  return follow(poller(core), jobId, opts, state(core).learned);
}

/**
 * Waits until the job is final and returns it, polling sparsely until its end is predicted.
 * Throws `JobFailedError` if it FAILED (message scrubbed), `WaitTimeoutError` at the deadline.
 */
export async function waitForJob(core: SlngCore, jobId: string, opts: WaitOptions = {}): Promise<BatchJob> {
  const c = state(core);
  let last: BatchJob | undefined;
  for await (const job of follow(poller(core), jobId, opts, c.learned, false)) last = job;
  const job = last as BatchJob;
  if (job.status === "FAILED") {
    const message = job.error_message?.message;
    throw new JobFailedError(message ? { ...job, error_message: { message: c.t.scrub(message) } } : job);
  }
  return job;
}
