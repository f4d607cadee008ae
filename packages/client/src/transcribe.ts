import type { BatchJob, OutputFormat } from "@slng/types";
import { type SlngCore, tx } from "./core.js";
import { type CreateJobInput, createJob } from "./create.js";
import { downloadTranscript, type Transcript } from "./download.js";
import { SlngError } from "./errors.js";
import { promised, type SlngPromise } from "./respond.js";
import { lookup } from "./submit.js";
import type { WaitOptions } from "./wait.js";
import { waitForJob } from "./watch.js";

/** Options of `transcribe`: the wait's options plus the output format (default `txt`). */
export interface TranscribeOptions<F extends OutputFormat> extends WaitOptions {
  format?: F;
}

/** The result of `transcribe`. */
export interface TranscribeResult<F extends OutputFormat> {
  job: BatchJob;
  transcript: Transcript<F>;
}

/**
 * After a create that gave up without knowing whether its job exists (the error names the id
 * and is retryable), resumes as the README tells callers to: looks the job up by `err.jobId`
 * and carries on with it if it exists; otherwise rethrows the create's error.
 */
async function resumable(core: SlngCore, input: CreateJobInput, e: unknown, signal: AbortSignal | undefined) {
  if (!(e instanceof SlngError && e.jobId && e.retryable)) throw e;
  const found = await lookup(core, tx(core, input), e.jobId, signal, e);
  if (found && !(found instanceof SlngError)) return found.data.job_id;
  throw e;
}

/**
 * Create, wait, then download the transcript, in one call. Throws `JobFailedError` if the job
 * fails. The create takes `input`'s request options, the download `input`'s too; `.withResponse()`
 * gives the download's response.
 */
export function transcribe<F extends OutputFormat = "txt">(
  core: SlngCore,
  input: CreateJobInput,
  opts: TranscribeOptions<F> = {},
): SlngPromise<TranscribeResult<F>> {
  return promised(async () => {
    const signal = opts.signal ?? input.signal;
    const job_id = await createJob(core, { ...input, signal }).then(
      (ack) => ack.job_id,
      (e) => resumable(core, input, e, signal),
    );
    const job = await waitForJob(core, job_id, { headers: input.headers, ...opts, signal });
    if (job.status !== "DONE")
      throw new SlngError(
        `Job ${job_id} ended ${job.expired_at ? "expired" : job.status} before its transcript could be read`,
        { code: "output_not_available", jobId: job_id },
      );
    const { timeoutMs, maxRetries, headers } = input;
    const { data, response } = await downloadTranscript(core, job_id, (opts.format ?? "txt") as F, {
      signal,
      timeoutMs,
      maxRetries,
      headers,
    }).withResponse();
    return { data: { job, transcript: data }, response };
  });
}
