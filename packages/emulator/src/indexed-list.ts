import type { OwnerIndex } from "./owner-index.js";
import { concatRange, mergeRange } from "./page-select.js";
import { windowOf } from "./sorted-jobs.js";
import type { JobRecord } from "./store.js";
import type { ListQuery } from "./validation.js";

/**
 * One page of a key's jobs from its {@link OwnerIndex} (settled to `now`), reading only the
 * page's jobs plus binary searches and the in-flight jobs; undefined when the index cannot
 * answer (a `model_code` filter or sort while the key's jobs use several models).
 */
export function indexedList(
  index: OwnerIndex,
  q: ListQuery,
  now: number,
): { jobs: JobRecord[]; total: number } | undefined {
  if (q.modelCode !== undefined) {
    const count = index.models.get(q.modelCode) ?? 0;
    if (count === 0) return { jobs: [], total: 0 };
    if (count !== index.all.length) return undefined;
  }
  if (q.sortBy === "model_code" && index.models.size > 1) return undefined;
  const byStatus = q.sortBy === "status";
  const segments =
    !byStatus && !q.statuses
      ? [windowOf(index.all, q.submittedAfter, q.submittedBefore)]
      : index.segments(q.statuses, q.submittedAfter, q.submittedBefore, now);
  const total = segments.reduce((n, s) => n + s.hi - s.lo, 0);
  const start = (q.page - 1) * q.pageSize;
  if (start >= total) return { jobs: [], total };
  const asc = q.sortOrder === "asc";
  const a = asc ? start : Math.max(0, total - start - q.pageSize);
  const b = asc ? Math.min(total, start + q.pageSize) : total - start;
  const jobs = byStatus ? concatRange(segments, a, b) : mergeRange(segments, a, b);
  if (!asc) jobs.reverse();
  return { jobs, total };
}
