import { SlngApiError, type SlngClient } from "@slng/client";
import type { BatchJob, JobStatus } from "@slng/types";
import type { InputState } from "./types.js";

/** Statuses the poll asks the list for: every one but QUEUED (no news there). */
export const WATCHED: JobStatus[] = ["IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE", "FAILED", "DELETED"];

/** True when a create was refused because its job id exists: an earlier attempt landed (the server is the tie-breaker). */
export const isAlreadyInUse = (e: unknown): boolean =>
  e instanceof SlngApiError && (e.status === 409 || (e.status === 400 && /already (in use|exists)/i.test(e.message)));

/** The input state a job snapshot stands for: DONE means "downloading" (the outputs are not saved yet). */
export function stateOf(job: BatchJob): InputState {
  if (job.expired_at) return "failed";
  if (job.status === "DONE") return "downloading";
  if (job.status === "FAILED" || job.status === "DELETED") return "failed";
  return job.status === "QUEUED" ? "queued" : "processing";
}

/** Why a job's input failed: the job's own message, or that it was deleted or expired first. */
export function failureOf(job: BatchJob): string {
  if (job.expired_at) return `job ${job.job_id} expired before its outputs were saved`;
  if (job.status === "DELETED") return `job ${job.job_id} was deleted before its outputs were saved`;
  return job.error_message?.message ?? `job ${job.job_id} failed`;
}

/**
 * Reads the job list for every job submitted after `after` (ms) that is past QUEUED, oldest
 * first, 100 a page, handing each job to `onJob`; stops early when `onJob` returns false (nothing
 * left to wait for) or when `more(pagesLeft)` says the rest is not worth reading. Returns the
 * pages (requests) read and whether the window was read to its end.
 */
export async function listSince(
  client: SlngClient,
  after: number,
  signal: AbortSignal,
  onJob: (job: BatchJob) => boolean,
  more: (pagesLeft: number) => boolean = () => true,
): Promise<{ pages: number; complete: boolean }> {
  let wanted = true;
  for (let page = 1; ; page++) {
    const res = await client.jobs.listPage({
      status: WATCHED,
      submittedAfter: new Date(after),
      pageSize: 100,
      sortBy: "submitted_at",
      sortOrder: "asc",
      page,
      signal,
    });
    for (const job of res.items) wanted = onJob(job);
    if (page >= res.meta.pages || res.items.length === 0 || !wanted) return { pages: page, complete: true };
    if (!more(res.meta.pages - page)) return { pages: page, complete: false };
  }
}
