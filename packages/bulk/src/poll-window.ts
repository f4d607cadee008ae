/** An outstanding job and the earliest server time (ms) it can carry as `submitted_at`. */
export interface Outstanding {
  id: string;
  at: number;
}

/** Most old outstanding jobs a poll fetches one by one instead of starting its window at them. */
export const MAX_OLD = 8;

/** How many of the ascending `times` are at or after `t`. */
function countSince(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return times.length - lo;
}

/**
 * Plans one poll: the list window starts just before the k-th oldest outstanding job, and the k
 * older ones are fetched with a GET each, for the k (0…{@link MAX_OLD}) with the fewest requests:
 * k GETs + the list pages the window is expected to hold (from `submitted`, the ascending
 * `submitted_at` of every job of the run seen so far, 100 a page). On a tie the GETs win (a GET
 * is a smaller answer than a page). So one long straggler among thousands of short recordings
 * costs one GET per poll instead of re-reading every page submitted since it.
 */
export function planWindow(
  outstanding: readonly Outstanding[],
  submitted: readonly number[],
): { old: string[]; after: number } {
  const sorted = [...outstanding].sort((a, b) => a.at - b.at);
  let best = { k: 0, cost: Number.POSITIVE_INFINITY };
  for (let k = 0; k <= Math.min(MAX_OLD, sorted.length - 1); k++) {
    const after = (sorted[k] as Outstanding).at - 1000;
    const cost = k + Math.max(1, Math.ceil(countSince(submitted, after) / 100));
    if (cost <= best.cost) best = { k, cost };
  }
  const start = sorted[best.k];
  return {
    old: sorted.slice(0, best.k).map((o) => o.id),
    after: start ? start.at - 1000 : Number.POSITIVE_INFINITY,
  };
}
