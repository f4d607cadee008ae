import type { SlngError } from "@slng/client";
import type { BatchJob } from "@slng/types";
import type { Item, RunContext } from "./context.js";
import { JobIdMap } from "./job-id-table.js";
import { failureOf, listSince, stateOf } from "./job-state.js";
import { type Outstanding, planWindow } from "./poll-window.js";
import type { InputRecord, InputState } from "./types.js";
import { messageOf, sleep } from "./util.js";

/**
 * Follows the jobs in flight: one poll reads the job list since the oldest of them (a few pages,
 * not a GET per job), applies what changed to the inputs waiting on each job, and hands a
 * `finished` work event on for each job that is DONE. Created and adopted jobs arrive as work events.
 */
export class Poller {
  /** The inputs waiting on each job followed (by job id, then by key): the items themselves, so one settled meanwhile is still at hand. */
  private readonly inflight = new Map<string, Map<string, Item>>();
  private wake: (() => void) | undefined;
  /** The `submitted_at` (ms) of every job of the run seen so far, kept ascending. */
  private readonly times: number[] = [];
  /** The jobs whose `submitted_at` is in {@link Poller.times}. */
  private readonly counted = new JobIdMap();
  /** Server clock minus local clock (smallest seen), learned from jobs seen in both. */
  private offsetMs: number | undefined;

  constructor(private readonly ctx: RunContext) {
    ctx.on((e) => {
      if (e.type === "created") this.track(e.item, "queued");
      else if (e.type === "adopted") {
        this.track(e.item, "queued", e.reason);
        this.observe(e.job);
      }
    });
  }

  /** Adds `item` to the inputs waiting on job `id`. */
  private follow(id: string, item: Item): void {
    const waiting = this.inflight.get(id) ?? new Map<string, Item>();
    waiting.set(item.rec.key, item);
    this.inflight.set(id, waiting);
  }

  /** Jobs being followed. */
  get size(): number {
    return this.inflight.size;
  }

  /** The keys of the inputs whose jobs are being followed. */
  followed(): Set<string> {
    const keys = new Set<string>();
    for (const waiting of this.inflight.values()) for (const key of waiting.keys()) keys.add(key);
    return keys;
  }

  /** Starts following an input whose job exists (recording `state` and `reason` if they are news). */
  track(item: Item, state: InputState, reason?: string): void {
    if (state !== item.rec.state || reason) this.ctx.setState(item, state, {}, reason);
    const id = item.rec.jobId as string;
    this.follow(id, item);
    item.lastSeen = Date.now();
    this.noteSubmitted(item, item.rec.submittedAt);
  }

  /**
   * Follows exactly the jobs of `records` (a shared run's jobs in flight, read from its store),
   * through the items `itemOf` gives (none for an input this worker was not given).
   */
  replace(records: readonly InputRecord[], itemOf: (rec: InputRecord) => Item | undefined): void {
    this.inflight.clear();
    for (const rec of records) {
      const item = rec.jobId ? itemOf(rec) : undefined;
      if (!item || !rec.jobId) continue;
      item.rec = rec;
      this.noteSubmitted(item, rec.submittedAt);
      this.follow(rec.jobId, item);
    }
  }

  /** Polls until nothing is in flight and `more()` says no more jobs can come. */
  async loop(more: () => boolean): Promise<void> {
    const { ctx } = this;
    let interval = ctx.s.pollMin;
    while (!ctx.stop.signal.aborted && (more() || this.inflight.size > 0)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        sleep(interval, ctx.stop.signal).then(resolve);
      });
      this.wake = undefined;
      if (ctx.stop.signal.aborted || this.inflight.size === 0) continue;
      const changed = await this.pollGuarded();
      interval = changed ? ctx.s.pollMin : Math.min(ctx.s.pollMax, interval * 1.5);
    }
  }

  /** Ends the current wait of {@link loop} at once. */
  wakeUp(): void {
    this.wake?.();
  }

  /** One poll; API errors end the run when they are not retryable or the API stayed away too long. */
  async pollGuarded(): Promise<boolean> {
    const { ctx } = this;
    try {
      const changed = await this.pollOnce();
      ctx.ok();
      return changed;
    } catch (e) {
      if (ctx.stop.signal.aborted) return false;
      if ((e as SlngError & { status?: number }).status === 403) ctx.end("auth", `not authorised: ${messageOf(e)}`);
      else if (!(e as SlngError).retryable || !ctx.transient(e)) {
        if (!ctx.fatal) ctx.end("unreachable", messageOf(e));
      }
      return false;
    }
  }

  /**
   * One poll, costing at most about min(list pages in the window, jobs outstanding) requests:
   * the window starts at the earliest outstanding job's `submitted_at` (learned with one GET
   * when no job's server time is known yet), or after a few old ones fetched by GET when that
   * is cheaper ({@link planWindow}); page 1 of the list, further pages only while they are fewer
   * than the outstanding jobs not seen yet, else a GET for each of those (a single outstanding
   * job is fetched directly); plus a GET for long-unseen stragglers.
   */
  private async pollOnce(): Promise<boolean> {
    const { ctx } = this;
    let changed = false;
    let requests = 0;
    const seen = new Set<string>();
    const look = (job: BatchJob) => {
      seen.add(job.job_id);
      changed = this.observe(job) || changed;
    };
    const first = this.needsClock();
    if (first) {
      requests++;
      look(await ctx.client.jobs.get(first, { signal: ctx.stop.signal }));
    }
    let complete = false;
    const plan = this.inflight.size > 1 ? planWindow(this.outstanding(), this.submittedTimes()) : undefined;
    for (const id of plan?.old ?? []) {
      if (seen.has(id) || !this.inflight.has(id)) continue;
      requests++;
      look(await ctx.client.jobs.get(id, { signal: ctx.stop.signal }));
    }
    if (plan && this.unseen(seen) > 1) {
      const listed = await listSince(
        ctx.client,
        plan.after,
        ctx.stop.signal,
        (job) => {
          look(job);
          return this.inflight.size > 0;
        },
        (pagesLeft) => pagesLeft <= this.unseen(seen),
      );
      requests += listed.pages;
      complete = listed.complete;
    }
    const now = Date.now();
    for (const [id, waiting] of [...this.inflight]) {
      if (seen.has(id)) continue;
      const item = firstOf(waiting);
      if (complete && now - item.lastSeen < ctx.s.stragglerMs) continue;
      requests++;
      look(await ctx.client.jobs.get(id, { signal: ctx.stop.signal }));
    }
    ctx.emit({ type: "poll", requests, inFlight: this.inflight.size });
    return changed;
  }

  /** Outstanding jobs not in `seen`. */
  private unseen(seen: Set<string>): number {
    let n = 0;
    for (const id of this.inflight.keys()) if (!seen.has(id)) n++;
    return n;
  }

  /** The job to GET first when no outstanding job's server time is known: the earliest created. */
  private needsClock(): string | undefined {
    if (this.offsetMs !== undefined || this.inflight.size <= 1) return undefined;
    let best: { id: string; at: number } | undefined;
    for (const [id, waiting] of this.inflight) {
      const { rec } = firstOf(waiting);
      if (rec.submittedAt) return undefined;
      const at = rec.createdAt ?? Number.POSITIVE_INFINITY;
      if (!best || at < best.at) best = { id, at };
    }
    return best?.id;
  }

  /** Every outstanding job with the earliest server time it can carry. */
  private outstanding(): Outstanding[] {
    const out: Outstanding[] = [];
    for (const [id, waiting] of this.inflight) {
      const { rec } = firstOf(waiting);
      out.push({
        id,
        at: rec.submittedAt ? Date.parse(rec.submittedAt) : this.serverTimeOf(rec.createdAt ?? Date.now()),
      });
    }
    return out;
  }

  /** The `submitted_at` (ms, ascending) of every job of the run seen so far. */
  private submittedTimes(): number[] {
    return this.times;
  }

  /** Counts a job's `submitted_at` once (for {@link planWindow}'s page estimates). */
  private noteSubmitted(item: Item, submittedAt: string | undefined): void {
    const id = item.rec.jobId;
    if (!submittedAt || !id || this.counted.has(id)) return;
    const t = Date.parse(submittedAt);
    if (!Number.isFinite(t)) return;
    this.counted.set(id);
    insertSorted(this.times, t);
  }

  /**
   * The earliest server time a job created at local time `local` can carry: once one job has
   * been seen in both clocks, local time + the smallest offset seen − 5 s; before that,
   * `clockSkewMs` earlier. Keeps the list window (and so the pages per poll) tight.
   */
  private serverTimeOf(local: number): number {
    return this.offsetMs === undefined ? local - this.ctx.s.clockSkewMs : local + this.offsetMs - 5000;
  }

  private learnOffset(item: Item, submittedAt: string) {
    if (!item.timed || item.rec.createdAt === undefined) return;
    const offset = Date.parse(submittedAt) - item.rec.createdAt;
    if (Number.isFinite(offset)) this.offsetMs = Math.min(this.offsetMs ?? offset, offset);
  }

  /** Applies a job snapshot to the inputs waiting on it; true when one of them changed state. */
  observe(job: BatchJob): boolean {
    const waiting = this.inflight.get(job.job_id);
    if (!waiting) return false;
    let changed = false;
    for (const [key, item] of waiting) {
      item.lastSeen = Date.now();
      const facts = this.factsOf(item, job);
      const next = stateOf(job);
      if (next === item.rec.state && !facts.submittedAt) continue;
      changed = changed || next !== item.rec.state;
      if (next === "failed") Object.assign(facts, { error: failureOf(job), cause: "job" });
      if (next === "downloading" || next === "failed") waiting.delete(key);
      const written = this.ctx.setState(item, next, facts, undefined, "poller");
      if (next === "downloading") this.ctx.hand({ type: "finished", item, written });
    }
    if (waiting.size === 0) this.inflight.delete(job.job_id);
    return changed;
  }

  private factsOf(item: Item, job: BatchJob): Partial<InputRecord> {
    const facts: Partial<InputRecord> = {};
    if (job.submitted_at && !item.rec.submittedAt) {
      facts.submittedAt = job.submitted_at;
      this.learnOffset(item, job.submitted_at);
      this.noteSubmitted(item, job.submitted_at);
    }
    const audio = job.input_metadata?.duration_seconds;
    if (typeof audio === "number") facts.audioSeconds = audio;
    if (job.started_at && job.completed_at)
      facts.processingSeconds = (Date.parse(job.completed_at) - Date.parse(job.started_at)) / 1000;
    return facts;
  }
}

/** Inserts `t` into the ascending `times` where it belongs (searched from the end: times arrive nearly in order). */
function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > t) i--;
  if (i === times.length) times.push(t);
  else times.splice(i, 0, t);
}

/** One of the inputs waiting on a job (every job followed has at least one). */
const firstOf = (waiting: Map<string, Item>): Item => waiting.values().next().value as Item;
