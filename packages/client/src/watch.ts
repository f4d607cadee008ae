import type { BatchJob } from "@slng/types";
import { isJobOf } from "./checks.js";
import { call, JOBS, type SlngCore, state, tx } from "./core.js";
import { JobFailedError } from "./errors.js";
import { promised, type SlngPromise } from "./respond.js";
import { type Poll, type WaitOptions, watchJob as watch } from "./wait.js";

/**
 * Follows a job for `watchJob`/`waitForJob`: one GET per poll (the waiter rides out transient
 * errors itself); `seen` gets each poll's response.
 */
function follow(core: SlngCore, jobId: string, opts: WaitOptions, untilStage?: boolean, seen?: (r: Response) => void) {
  const c = state(core);
  const t = tx(core, { headers: opts.headers, maxRetries: 0 });
  const poll: Poll = async (id, signal) => {
    const { data, response } = await call<BatchJob>(
      core,
      t,
      { method: "GET", path: `${JOBS}/${id}`, signal },
      `GET ${JOBS}/${id}`,
      isJobOf(id),
      `job ${id}`,
      id,
    );
    seen?.(response);
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
 * `.withResponse()` gives the last poll's response.
 */
export function waitForJob(core: SlngCore, jobId: string, opts: WaitOptions = {}): SlngPromise<BatchJob> {
  return promised(async () => {
    let last: BatchJob | undefined;
    let response: Response | undefined;
    for await (const job of follow(core, jobId, opts, false, (r) => (response = r))) last = job;
    const job = last as BatchJob;
    if (job.status === "FAILED") {
      const message = job.error_message?.message;
      throw new JobFailedError(message ? { ...job, error_message: { message: state(core).t.scrub(message) } } : job);
    }
    return { data: job, response: response as Response };
  });
}
