import type { BatchJob } from "@slng/types";
import { JOBS, type SlngCore, state } from "./core.js";
import { JobFailedError } from "./errors.js";
import { apiError, retryingFetch } from "./transport.js";
import { type Poll, type WaitOptions, watchJob as watch } from "./wait.js";

/** Follows a job for `watchJob`/`waitForJob`: one GET per poll (the waiter rides out transient errors itself). */
function follow(core: SlngCore, jobId: string, opts: WaitOptions, untilStage?: boolean) {
  const c = state(core);
  const poll: Poll = async (id, signal) => {
    const { data, error, response } = await core.api.GET("/v1/batch/jobs/{jobId}", {
      params: { path: { jobId: id } },
      signal,
      fetch: retryingFetch(c.t, 0),
    });
    if (!response.ok || !data) throw await apiError(c.t, response, `GET ${JOBS}/${id}`, error, id);
    return { job: data, retryAfter: response.headers.get("retry-after"), date: response.headers.get("date") };
  };
  c.learned ??= {};
  return watch(poll, jobId, opts, c.learned, untilStage);
}

/**
 * Yields the job's first snapshot and then every change until it is final (DONE, FAILED,
 * DELETED or expired), polling each stage as it is predicted to end. Ends in
 * `WaitTimeoutError` at the deadline; abort with `opts.signal`.
 */
export function watchJob(core: SlngCore, jobId: string, opts: WaitOptions = {}): AsyncIterable<BatchJob> {
  return follow(core, jobId, opts);
}

/**
 * Waits until the job is final and returns it, polling sparsely until its end is predicted.
 * Throws `JobFailedError` if it FAILED (message scrubbed), `WaitTimeoutError` at the deadline.
 */
export async function waitForJob(core: SlngCore, jobId: string, opts: WaitOptions = {}): Promise<BatchJob> {
  let last: BatchJob | undefined;
  for await (const job of follow(core, jobId, opts, false)) last = job;
  const job = last as BatchJob;
  if (job.status === "FAILED") {
    const message = job.error_message?.message;
    throw new JobFailedError(message ? { ...job, error_message: { message: state(core).t.scrub(message) } } : job);
  }
  return job;
}
