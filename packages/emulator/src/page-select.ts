import { byKey, lowerBound, type Segment } from "./sorted-jobs.js";
import type { JobRecord } from "./store.js";

/** Positions `[a, b)` of segments laid end to end (the `sort_by=status` order). */
export function concatRange(segments: readonly Segment[], a: number, b: number): JobRecord[] {
  const out: JobRecord[] = [];
  let offset = 0;
  for (const s of segments) {
    const size = s.hi - s.lo;
    const from = Math.max(a, offset);
    const to = Math.min(b, offset + size);
    for (let p = from; p < to; p++) out.push(s.list[s.lo + p - offset] as JobRecord);
    offset += size;
    if (offset >= b) break;
  }
  return out;
}

/** How many jobs of all segments sort before `job`. */
function rank(segments: readonly Segment[], job: JobRecord): number {
  let n = 0;
  for (const s of segments) n += lowerBound(s.list, job, s.lo, s.hi) - s.lo;
  return n;
}

/** Per segment, the index of its first job at merged position `a` or later (binary searches only). */
function cursorsAt(segments: readonly Segment[], a: number): number[] {
  for (const s of segments) {
    let lo = s.lo;
    let hi = s.hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rank(segments, s.list[mid] as JobRecord) < a) lo = mid + 1;
      else hi = mid;
    }
    const found = s.list[lo];
    if (lo < s.hi && found !== undefined && rank(segments, found) === a) {
      return segments.map((t) => lowerBound(t.list, found, t.lo, t.hi));
    }
  }
  return segments.map((s) => s.hi);
}

/** The segment whose next job (at its cursor) sorts first, or -1 when all are used up. */
function firstHead(segments: readonly Segment[], cursors: readonly number[]): number {
  let best = -1;
  let bestJob: JobRecord | undefined;
  segments.forEach((s, i) => {
    const c = cursors[i] as number;
    if (c >= s.hi) return;
    const job = s.list[c] as JobRecord;
    if (bestJob === undefined || byKey(job, bestJob) < 0) {
      best = i;
      bestJob = job;
    }
  });
  return best;
}

/** Positions `[a, b)` of the segments merged in key order (the `sort_by=submitted_at` order). */
export function mergeRange(segments: readonly Segment[], a: number, b: number): JobRecord[] {
  const out: JobRecord[] = [];
  const cursors = cursorsAt(segments, a);
  while (out.length < b - a) {
    const i = firstHead(segments, cursors);
    if (i < 0) break;
    const c = cursors[i] as number;
    out.push((segments[i] as Segment).list[c] as JobRecord);
    cursors[i] = c + 1;
  }
  return out;
}
