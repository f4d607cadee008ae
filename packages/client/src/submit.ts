import type { JobAcknowledgement } from "@slng/types";
import { isAckOf } from "./checks.js";
import { JOBS, type SlngCore } from "./core.js";
import { SlngApiError, SlngError, SlngNetworkError, withJobId } from "./errors.js";
import { readJob } from "./jobs.js";
import type { Answer } from "./respond.js";
import { apiError, backoff, readJson, retrying, send, sleep, type Transport } from "./transport.js";

/**
 * Sends a create (`POST /jobs`) exactly once in effect: the job id is fixed, so after an
 * ambiguous failure (network, timeout, 500/502/504) the job is looked up before sending
 * again, and a retry refused as "already exists"/409 means the first attempt landed. A lookup
 * that fails too leaves it unknown: the create is sent again (safe with the same id) while
 * the retry budget lasts. The error it ends with names the job id.
 */
export async function submit(
  core: SlngCore,
  t: Transport,
  jobId: string,
  attempt: (signal: AbortSignal, progress: () => void, n: number) => Promise<Response>,
  replayable: boolean,
  signal: AbortSignal | undefined,
  timeoutWords?: string,
): Promise<Answer<JobAcknowledgement>> {
  const label = `POST ${JOBS} (job ${jobId})`;
  for (let n = 0; ; n++) {
    let res: Response | undefined;
    let failure: SlngError;
    try {
      const k = n;
      res = await send(t, label, (s, p) => attempt(s, p, k), {
        signal,
        retries: 0,
        timeoutMs: t.timeoutMs,
        timeoutWords,
        jobId,
      });
      if (res.ok)
        return {
          data: await readJson<JobAcknowledgement>(t, res, label, isAckOf(jobId), "a job acknowledgement", jobId),
          response: res,
        };
      failure = await apiError(t, res, label, undefined, jobId);
    } catch (e) {
      if (!(e instanceof SlngNetworkError)) throw e;
      failure = withJobId(e, jobId);
    }
    const status = res?.status ?? 0;
    const landed = n > 0 && (status === 409 || (status === 400 && /already|exist/i.test(failure.message)));
    let unknown = false;
    if (landed || !res || status === 500 || status === 502 || status === 504) {
      const found = await lookup(core, t, jobId, signal, failure);
      if (!(found instanceof SlngError)) {
        if (found) return found;
      } else {
        unknown = true;
        if (landed) failure = found;
      }
    }
    if (!replayable || n >= t.maxRetries || !(landed ? unknown : failure.retryable)) throw failure;
    const delay = Math.max((failure as SlngApiError).retryAfterMs ?? 0, backoff(n, t.random));
    retrying(t, n, t.maxRetries, delay, label, res?.status, failure);
    await sleep(delay, signal);
  }
}

/**
 * Looks a job up after an ambiguous create: its acknowledgement when it exists, `undefined`
 * when it does not (404), or the retryable error that left it unknown. Other errors end the
 * create with `failure` (an abort with the abort).
 */
export async function lookup(
  core: SlngCore,
  t: Transport,
  jobId: string,
  signal: AbortSignal | undefined,
  failure: SlngError,
): Promise<Answer<JobAcknowledgement> | SlngError | undefined> {
  try {
    const { data, response } = await readJob(core, jobId, {
      signal,
      maxRetries: t.maxRetries,
      timeoutMs: t.timeoutMs,
      headers: t.headers,
    });
    return { data: { job_id: data.job_id, status: data.status }, response };
  } catch (e) {
    if (e instanceof SlngApiError && e.status === 404) return undefined;
    if (e instanceof SlngError && e.code === "aborted") throw e;
    if (e instanceof SlngError && e.retryable) return withJobId(e, jobId);
    throw failure;
  }
}
