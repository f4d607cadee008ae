import type { JobRecord } from "./store.js";

/** A job list's order: submission time, then creation order (`seq`, unique). */
export function byKey(a: JobRecord, b: JobRecord): number {
  return a.schedule.submittedAt - b.schedule.submittedAt || a.seq - b.seq;
}

/** First index in `list[lo..hi)` whose job sorts at or after `job`. */
export function lowerBound(list: readonly JobRecord[], job: JobRecord, lo = 0, hi = list.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byKey(list[mid] as JobRecord, job) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose job was submitted after `t` (`strict`) or at/after `t`. */
function timeBound(list: readonly JobRecord[], t: number, strict: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = (list[mid] as JobRecord).schedule.submittedAt;
    if (at < t || (strict && at === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A slice `list[lo..hi)` of a sorted job list, not copied. */
export interface Segment {
  list: readonly JobRecord[];
  lo: number;
  hi: number;
}

/** The jobs of a sorted list submitted strictly inside (`after`, `before`), found by binary search. */
export function windowOf(list: readonly JobRecord[], after: number | undefined, before: number | undefined): Segment {
  const lo = after === undefined ? 0 : timeBound(list, after, true);
  const hi = before === undefined ? list.length : timeBound(list, before, false);
  return { list, lo, hi: Math.max(lo, hi) };
}

/** Inserts `job` at its place (appending is the usual case and costs nothing extra). */
export function insertSorted(list: JobRecord[], job: JobRecord): void {
  const last = list[list.length - 1];
  if (last === undefined || byKey(last, job) < 0) list.push(job);
  else list.splice(lowerBound(list, job), 0, job);
}

/** Removes `job` from a sorted list (binary search; no scan). */
export function removeSorted(list: JobRecord[], job: JobRecord): void {
  const i = lowerBound(list, job);
  if (list[i] === job) list.splice(i, 1);
}
