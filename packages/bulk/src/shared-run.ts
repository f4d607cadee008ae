import type { Item, RunContext } from "./context.js";
import { removeStaleTemps } from "./download.js";
import { download } from "./downloader.js";
import { Poller } from "./poller.js";
import { outputConflict, outputPath, ownedFormats } from "./reconcile.js";
import { finishRun } from "./report.js";
import { SharedItems } from "./shared-items.js";
import type { SharedStore } from "./shared-store.js";
import type { BulkSummary, InputRecord } from "./types.js";
import { upload } from "./uploader.js";
import { messageOf, sleep } from "./util.js";

/** What every worker of a shared run must agree on: the settings that shape jobs and outputs. */
const runSettings = (ctx: RunContext) => ({
  formats: ctx.s.formats,
  config: ctx.o.config ?? null,
  model: ctx.o.modelCode ?? null,
  output: ctx.o.outputConfig ?? null,
});

/** Longest wait between two claims that found nothing (another worker's poll may free work any time). */
const MAX_IDLE_MS = 2000;

/** Wakes the claim loop early: when this worker's poller saw jobs finish (their downloads are claimable). */
class Alarm {
  private ring: (() => void) | undefined;
  /** Waits `ms`, or less when one of `active` settles or the alarm rings. */
  wait(ms: number, active: Iterable<Promise<void>>, signal: AbortSignal): Promise<void> {
    const rung = new Promise<void>((resolve) => {
      this.ring = resolve;
    });
    return Promise.race([sleep(ms, signal), rung, ...active]).finally(() => {
      this.ring = undefined;
    });
  }
  /** Ends the current wait at once. */
  readonly wake = (): void => {
    this.ring?.();
  };
}

/**
 * Joins the run (creating it once; with `retryFailed`, putting its failed inputs back for a new
 * attempt, each announced as an `input` event with reason `retry`); false, with a `local` fatal,
 * when the store cannot be used.
 */
async function joinRun(ctx: RunContext, store: SharedStore, items: SharedItems): Promise<boolean> {
  try {
    const notice = (message: string) => ctx.emit({ type: "warning", message });
    const keys = items.keys();
    const retryFailed = ctx.o.retryFailed === true;
    const joined = await store.join({ settings: runSettings(ctx), keys, notice, signal: ctx.stop.signal, retryFailed });
    ctx.salt = joined.salt;
    for (const key of joined.retried)
      if (items.has(key)) ctx.emit({ type: "input", key, state: "pending", previous: "failed", reason: "retry" });
    return true;
  } catch (e) {
    ctx.end("local", messageOf(e));
    await store.close().catch(() => {});
    return false;
  }
}

/** The `plan` event of a shared run: the whole run's inputs, counted by the store. */
async function emitPlan(ctx: RunContext, store: SharedStore): Promise<void> {
  const { total, counts, unfinished } = await store.progress();
  ctx.emit({
    type: "plan",
    total,
    skippedFiles: [...(ctx.o.skippedFiles ?? [])],
    alreadyDone: counts.done,
    resumed: unfinished - counts.pending,
  });
}

/**
 * One worker of a shared run: joins the run, then claims inputs in small batches under leases
 * renewed while it works on them (`concurrency` creates and as many downloads at a time),
 * creates or adopts their jobs and downloads the finished ones; the worker that holds the run's
 * poller lock polls the job list for everyone. It keeps helping (taking over expired leases)
 * until no input of the run is unfinished, then reports from the store, read a page at a time:
 * the same report whichever worker writes it (from what it knows itself if the store fails then).
 */
export async function executeShared(ctx: RunContext, store: SharedStore): Promise<BulkSummary> {
  const items = new SharedItems(ctx);
  const mine = () => ctx.records();
  if (!(await joinRun(ctx, store, items))) return finishRun(ctx, mine, false);
  ctx.connect();
  const poller = new Poller(ctx);
  const active: Active = { creates: new Map(), downloads: new Map() };
  const sweep = () => {
    const followed = poller.followed();
    items.sweep((key) => active.creates.has(key) || active.downloads.has(key) || followed.has(key));
  };
  const finished = { value: false };
  const alarm = new Alarm();
  ctx.on((e) => {
    if (e.type === "finished") e.written.then(alarm.wake, () => {});
  });
  let polling: Promise<void> = Promise.resolve();
  let reporting: Promise<void> = Promise.resolve();
  const reported = new AbortController();
  try {
    await emitPlan(ctx, store);
    await emitProgress(ctx, store);
    polling = pollShared(ctx, store, poller, items, finished).catch((e) => ctx.end("local", messageOf(e)));
    reporting = reportProgress(ctx, store, AbortSignal.any([ctx.stop.signal, reported.signal]));
    await claimLoop(ctx, store, alarm, items, active, sweep);
  } catch (e) {
    if (!ctx.stop.signal.aborted) ctx.end("local", `the bulk store failed: ${messageOf(e)}`);
  }
  finished.value = true;
  reported.abort();
  await ctx.settle();
  await polling;
  await reporting;
  if (ctx.stop.signal.aborted) await store.release().catch(() => {});
  try {
    return await finishRun(ctx, () => store.eachRecord(), true);
  } catch {
    return finishRun(ctx, mine, true);
  } finally {
    await store.close();
  }
}

/** The work under way, by input key: creates (or adoptions) and downloads. */
type Active = { creates: Map<string, Promise<void>>; downloads: Map<string, Promise<void>> };

/**
 * Claims and works inputs until the whole run is finished (or the run stops): `concurrency`
 * creates and as many downloads at a time; after each claim, `sweep` drops the items no longer used.
 */
async function claimLoop(
  ctx: RunContext,
  store: SharedStore,
  alarm: Alarm,
  items: SharedItems,
  active: Active,
  sweep: () => void,
): Promise<void> {
  const all = () => [...active.creates.values(), ...active.downloads.values()];
  /** Inputs of the run this worker was not given: warned about once; their leases lapse for a worker that has them. */
  const strangers = new Set<string>();
  const renew = setInterval(() => {
    store.renew([...active.creates.keys(), ...active.downloads.keys()]).catch(() => {});
  }, store.leaseMs / 3);
  let wait = ctx.s.pollMin;
  try {
    while (!ctx.stop.signal.aborted) {
      const room = {
        downloads: ctx.s.concurrency - active.downloads.size,
        creates: ctx.s.concurrency - active.creates.size,
      };
      const claimed = await store.claim(room);
      sweep();
      for (const rec of claimed) start(ctx, items, rec, active, strangers, store.leaseMs);
      if (claimed.length > 0) {
        wait = ctx.s.pollMin;
        if (active.creates.size >= ctx.s.concurrency && active.downloads.size >= ctx.s.concurrency)
          await Promise.race(all());
        continue;
      }
      if (all().length === 0 && (await store.progress()).unfinished === 0) return;
      await alarm.wait(wait, all(), ctx.stop.signal);
      wait = Math.min(ctx.s.pollMax, MAX_IDLE_MS, wait * 1.5);
    }
  } finally {
    clearInterval(renew);
    await Promise.all(all());
  }
}

/**
 * Works one claimed input: downloads a finished job, else creates (or, resumed, adopts) its job.
 * An input this worker is already working on, in either role (its lease lapsed and this worker
 * claimed it again), is left to the work under way, never started twice. A download removes only
 * stale temporary files first ({@link sweep}), never every one as a resumed one-process download does.
 */
function start(
  ctx: RunContext,
  items: SharedItems,
  rec: InputRecord,
  active: Active,
  strangers: Set<string>,
  leaseMs: number,
) {
  if (active.creates.has(rec.key) || active.downloads.has(rec.key)) return;
  const item = items.of(rec);
  if (!item) {
    if (!strangers.has(rec.key))
      ctx.emit({
        type: "warning",
        message: `the run has an input this worker was not given (${rec.key}); give every worker the same inputs`,
      });
    strangers.add(rec.key);
    return;
  }
  const downloading = rec.state === "downloading";
  item.rec = rec;
  item.resumed = false;
  ctx.uploadsLeft++;
  const work = (downloading ? sweep(ctx, rec, leaseMs).then(() => download(ctx, item)) : createUnlessTaken(ctx, item))
    .catch((e) => ctx.end("local", `stopped on a local error: ${messageOf(e)}`))
    .finally(() => (downloading ? active.downloads : active.creates).delete(rec.key));
  (downloading ? active.downloads : active.creates).set(rec.key, work);
}

/**
 * Removes the temporary files a worker that died mid-download left for `rec`'s outputs: only
 * those nobody wrote to for a lease's length. A newer one may be another live worker's (one whose
 * lease lapsed and is still saving): removing it would fail that worker's save.
 */
async function sweep(ctx: RunContext, rec: InputRecord, leaseMs: number): Promise<void> {
  for (const format of ctx.s.formats) await removeStaleTemps(outputPath(ctx.o.outDir, rec.key, format), leaseMs);
}

/**
 * Creates (or resumes) a claimed input's job, unless it is new and one of its output paths is
 * not bulk's to write (outside --out, or holding a file this run did not write, without
 * --overwrite): then it fails as an output conflict before any request, as in a one-process run.
 */
async function createUnlessTaken(ctx: RunContext, item: Item): Promise<void> {
  if (item.rec.state === "pending") {
    const owned = ownedFormats(item.rec);
    const conflict = await outputConflict(ctx.o.outDir, item.rec.key, ctx.s.formats, owned, !!ctx.o.overwrite);
    if (conflict) {
      ctx.uploadsLeft--;
      await ctx.setState(item, "failed", { error: conflict, outputConflict: true });
      return;
    }
  }
  await upload(ctx, item, false);
}

/** Emits the run's progress as the store has it (`run_progress`); a failed read is skipped. */
async function emitProgress(ctx: RunContext, store: SharedStore): Promise<void> {
  const p = await store.progress().catch(() => undefined);
  if (p) ctx.emit({ type: "run_progress", total: p.total, counts: p.counts });
}

/** Emits the run's progress every second until `until` aborts. */
async function reportProgress(ctx: RunContext, store: SharedStore, until: AbortSignal): Promise<void> {
  for (;;) {
    await sleep(1000, until);
    if (until.aborted) return;
    await emitProgress(ctx, store);
  }
}

/**
 * While this worker holds the poller lock, polls the jobs in flight of the whole run (read from
 * the store); while another worker holds it, follows none.
 */
async function pollShared(
  ctx: RunContext,
  store: SharedStore,
  poller: Poller,
  items: SharedItems,
  finished: { value: boolean },
) {
  const itemOf = (rec: InputRecord) => items.of(rec);
  let interval = ctx.s.pollMin;
  while (!ctx.stop.signal.aborted && !finished.value) {
    await sleep(interval, ctx.stop.signal);
    if (ctx.stop.signal.aborted || finished.value) continue;
    if (!(await store.holdPoller())) {
      poller.replace([], itemOf);
      continue;
    }
    const outstanding = await store.outstanding();
    poller.replace(outstanding, itemOf);
    if (poller.size === 0) continue;
    const changed = await poller.pollGuarded();
    interval = changed ? ctx.s.pollMin : Math.min(ctx.s.pollMax, interval * 1.5);
  }
}
