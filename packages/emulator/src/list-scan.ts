import type { JobStatus } from "@slng/types";
import { type JobRecord, jobStatus } from "./store.js";
import type { ListQuery } from "./validation.js";

const STATUS_ORDER: Record<JobStatus, number> = {
  QUEUED: 0,
  IN_PROGRESS: 1,
  DECODING: 2,
  POST_PROCESSING: 3,
  DONE: 4,
  FAILED: 5,
  DELETED: 6,
};

/**
 * The list by brute force: filters and sorts every job of `jobs`, then slices the page. Used
 * when the index cannot answer (sorting by `model_code`, or filtering on one, while a key's jobs
 * use several models), and as the reference the index is tested against.
 */
export function scanList(jobs: readonly JobRecord[], q: ListQuery, now: number): { jobs: JobRecord[]; total: number } {
  const rows = jobs
    .map((j) => ({ job: j, status: jobStatus(j, now) }))
    .filter((r) => !q.statuses || q.statuses.includes(r.status))
    .filter((r) => q.modelCode === undefined || r.job.modelCode === q.modelCode)
    .filter((r) => q.submittedAfter === undefined || r.job.schedule.submittedAt > q.submittedAfter)
    .filter((r) => q.submittedBefore === undefined || r.job.schedule.submittedAt < q.submittedBefore);
  const dir = q.sortOrder === "asc" ? 1 : -1;
  rows.sort((a, b) => {
    let c = 0;
    if (q.sortBy === "status") c = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    else if (q.sortBy === "model_code") c = a.job.modelCode.localeCompare(b.job.modelCode);
    if (c === 0) c = a.job.schedule.submittedAt - b.job.schedule.submittedAt;
    if (c === 0) c = a.job.seq - b.job.seq;
    return c * dir;
  });
  const start = (q.page - 1) * q.pageSize;
  return { jobs: rows.slice(start, start + q.pageSize).map((r) => r.job), total: rows.length };
}
