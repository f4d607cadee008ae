import type { JobStatus } from "@slng/types";
import { statusAt } from "./lifecycle.js";
import { insertSorted, removeSorted, type Segment, windowOf } from "./sorted-jobs.js";
import type { JobRecord } from "./store.js";

type Terminal = "DONE" | "FAILED" | "DELETED";
const ACTIVE_ORDER: JobStatus[] = ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING"];
/** Every status in the order `sort_by=status` lists them. */
export const STATUS_SEQUENCE: readonly JobStatus[] = [...ACTIVE_ORDER, "DONE", "FAILED", "DELETED"];
/** Past this many jobs finishing at once, lists are rebuilt in one pass instead of one splice each. */
const BULK_SETTLE = 64;

const byCompletion = (a: JobRecord, b: JobRecord) => a.schedule.completedAt - b.schedule.completedAt || a.seq - b.seq;

/**
 * One key's jobs, kept in submission order several ways so a list request reads only what it
 * returns: all jobs; the finished ones per terminal status (DONE, FAILED, DELETED); and the
 * in-flight ones (whose status moves with the clock), which move to their terminal list when
 * the clock passes their completion. Status filters and `submitted_after/before` windows are
 * binary searches over these lists; only in-flight jobs are ever examined one by one.
 */
export class OwnerIndex {
  readonly all: JobRecord[] = [];
  readonly models = new Map<string, number>();
  #active: JobRecord[] = [];
  #completing: JobRecord[] = [];
  readonly #terminal: Record<Terminal, JobRecord[]> = { DONE: [], FAILED: [], DELETED: [] };
  #settledAt = Number.NEGATIVE_INFINITY;

  /** Adds a new job (in flight until the clock passes its completion). */
  add(job: JobRecord): void {
    insertSorted(this.all, job);
    this.models.set(job.modelCode, (this.models.get(job.modelCode) ?? 0) + 1);
    this.#place(job);
  }

  /** Moves a finished job to DELETED (the caller has checked it is DONE or FAILED at `now`). */
  markDeleted(job: JobRecord, now: number): void {
    this.settle(now);
    removeSorted(this.#terminal[job.schedule.fails ? "FAILED" : "DONE"], job);
    job.deletedAt = now;
    insertSorted(this.#terminal.DELETED, job);
  }

  /** Brings the lists up to `now`: jobs completed by then move to DONE or FAILED. */
  settle(now: number): void {
    if (now < this.#settledAt) {
      this.#rebuild(now);
      return;
    }
    this.#settledAt = now;
    let done = 0;
    while (done < this.#completing.length && (this.#completing[done] as JobRecord).schedule.completedAt <= now) done++;
    if (done === 0) return;
    const finished = this.#completing.splice(0, done);
    if (done > BULK_SETTLE) {
      const gone = new Set(finished);
      this.#active = this.#active.filter((j) => !gone.has(j));
    } else for (const job of finished) removeSorted(this.#active, job);
    for (const job of finished) insertSorted(this.#terminal[job.schedule.fails ? "FAILED" : "DONE"], job);
  }

  /**
   * The sorted segments holding the jobs with one of `statuses` (all when undefined) submitted
   * inside the window, one per status in {@link STATUS_SEQUENCE} order. In-flight jobs are
   * bucketed by their status at `now`; every other segment is a binary-searched slice.
   */
  segments(
    statuses: readonly JobStatus[] | undefined,
    after: number | undefined,
    before: number | undefined,
    now: number,
  ): Segment[] {
    const wanted = new Set(statuses ?? STATUS_SEQUENCE);
    const buckets = this.#inFlight(wanted, after, before, now);
    const out: Segment[] = [];
    for (const status of STATUS_SEQUENCE) {
      if (!wanted.has(status)) continue;
      const terminal = this.#terminal[status as Terminal];
      const seg = terminal
        ? windowOf(terminal, after, before)
        : windowOf(buckets.get(status) ?? [], undefined, undefined);
      if (seg.hi > seg.lo) out.push(seg);
    }
    return out;
  }

  /** The in-flight jobs in the window with a wanted status at `now`, bucketed by status (still sorted). */
  #inFlight(wanted: Set<JobStatus>, after: number | undefined, before: number | undefined, now: number) {
    const buckets = new Map<JobStatus, JobRecord[]>();
    if (!ACTIVE_ORDER.some((s) => wanted.has(s))) return buckets;
    const w = windowOf(this.#active, after, before);
    for (let i = w.lo; i < w.hi; i++) {
      const job = w.list[i] as JobRecord;
      const status = statusAt(job.schedule, now);
      if (!wanted.has(status)) continue;
      const bucket = buckets.get(status);
      if (bucket) bucket.push(job);
      else buckets.set(status, [job]);
    }
    return buckets;
  }

  #place(job: JobRecord): void {
    if (job.deletedAt !== undefined) insertSorted(this.#terminal.DELETED, job);
    else {
      insertSorted(this.#active, job);
      this.#completing.splice(this.#completionIndex(job), 0, job);
    }
  }

  #completionIndex(job: JobRecord): number {
    let lo = 0;
    let hi = this.#completing.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byCompletion(this.#completing[mid] as JobRecord, job) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The clock went back: lay every list out again from `all` (rare; tests with a `now` clock). */
  #rebuild(now: number): void {
    this.#active = [];
    this.#completing = [];
    for (const list of Object.values(this.#terminal)) list.length = 0;
    this.#settledAt = Number.NEGATIVE_INFINITY;
    for (const job of this.all) this.#place(job);
    this.settle(now);
  }
}
