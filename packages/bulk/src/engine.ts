import { type Item, RunContext } from "./context.js";
import { downloadLater } from "./downloader.js";
import { dryRun } from "./dry-run.js";
import { openFileJournal } from "./journal.js";
import { BulkLockError } from "./lock.js";
import type { BulkOptions } from "./options.js";
import { openPgStore } from "./pg-store.js";
import { decideAll, emitPlan, type Plan } from "./plan.js";
import { Poller } from "./poller.js";
import { finishRun, noJob } from "./report.js";
import { SettledTable } from "./settled.js";
import { executeShared } from "./shared-run.js";
import { BulkStoreError, isShared } from "./shared-store.js";
import type { BulkEvent, BulkStore, BulkSummary, InputRecord } from "./types.js";
import { uploadLoop } from "./uploader.js";
import { messageOf } from "./util.js";

/** What an input settled by an earlier run shows: its state, job, audio and failure reason. */
const earlierFacts = (r: InputRecord) => ({
  state: r.state,
  previous: r.state,
  ...(r.jobId && !(r.state === "failed" && noJob(r)) ? { jobId: r.jobId } : {}),
  ...(r.audioSeconds !== undefined ? { audioSeconds: r.audioSeconds } : {}),
  ...(r.state === "failed" && r.error ? { error: r.error } : {}),
});

/**
 * Acts on each input's decision: failures and skips are recorded, jobs in flight followed,
 * finished ones downloaded; returns the positions of the inputs to upload, in input order. A
 * touched file's new size and time are recorded; an output path bulk may not write fails its
 * input before any request.
 */
function startDecided(ctx: RunContext, poller: Poller, plan: Plan): number[] {
  const uploads = plan.fresh;
  for (const [key, d] of plan.decisions) {
    const item = ctx.items.get(key) as Item;
    item.resumed = d.action === "await" || d.action === "resume" || d.action === "download";
    if (d.refreshed) ctx.store.append(d.refreshed).catch(() => {});
    if (d.action === "missing")
      ctx.setState(item, "failed", { error: `${item.input.path} does not exist or is not a file`, cause: "missing" });
    else if (d.action === "conflict") ctx.setState(item, "failed", { error: d.reason, outputConflict: true });
    else if (d.action === "skip" || d.action === "keep-failed") {
      ctx.emit({ type: "input", key, ...earlierFacts(d.record), reason: "earlier run" });
      ctx.retire(item);
    } else if (d.action === "await") {
      item.timed = true;
      poller.track(item, d.record.state, d.reason);
    } else if (d.action === "download") {
      ctx.setState(item, "downloading", {}, "resumed");
      downloadLater(ctx, item);
    } else {
      if (d.reason === "changed" || d.reason === "retry") ctx.setState(item, "pending", { ...d.record }, d.reason);
      uploads.push(item.index as number);
    }
  }
  return uploads.sort((a, b) => a - b);
}

/** Emits the `input` event of each input an earlier run settled (from the settled table), as fast as the reader takes them. */
async function reportEarlier(ctx: RunContext, positions: number[]): Promise<void> {
  const table = ctx.settled as SettledTable;
  for (const at of positions) {
    await ctx.events.room(ctx.stop.signal);
    const key = ctx.inputs.key(at);
    ctx.emit({ type: "input", key, ...earlierFacts(table.record(at, key)), reason: "earlier run" });
  }
}

/**
 * Loads the store and plans every input; returns the positions to upload, or undefined when the
 * store cannot be used (the run has ended). What was loaded and decided is dropped on return.
 */
async function start(ctx: RunContext, poller: Poller): Promise<number[] | undefined> {
  let loaded: Awaited<ReturnType<BulkStore["load"]>>;
  try {
    loaded = await ctx.store.load();
  } catch (e) {
    ctx.end(
      "local",
      e instanceof BulkLockError
        ? e.message
        : `cannot keep the journal in ${ctx.o.outDir}: ${messageOf(e)}. Use an --out folder you can write`,
    );
    return undefined;
  }
  ctx.salt = loaded.salt;
  ctx.connect();
  ctx.settled = new SettledTable(ctx.inputs.length);
  const plan = await decideAll(ctx, loaded.records, true);
  emitPlan(ctx, plan);
  await reportEarlier(ctx, plan.earlier);
  return startDecided(ctx, poller, plan);
}

/** The one-process run: plan from the store, upload what needs it, poll, download, report. */
async function execute(ctx: RunContext): Promise<BulkSummary> {
  const poller = new Poller(ctx);
  ctx.on((e) => {
    if (e.type === "finished") downloadLater(ctx, e.item);
  });
  const uploads = await start(ctx, poller);
  if (!uploads) return finishRun(ctx, () => ctx.records(), false);
  ctx.uploadsLeft = uploads.length;
  const polling = poller.loop(() => ctx.uploadsLeft > 0);
  await uploadLoop(ctx, uploads);
  poller.wakeUp();
  await polling;
  await ctx.settle();
  await ctx.store.close();
  return finishRun(ctx, () => ctx.records(), true);
}

function storeOf(o: BulkOptions): BulkStore {
  if (typeof o.store !== "string") return o.store ?? openFileJournal(o.outDir);
  if (!o.run) throw new BulkStoreError("a shared store needs a run name (--run <name>)");
  if (o.dryRun) throw new BulkStoreError("--dry-run is not available with a shared store");
  return openPgStore({ url: o.store, run: o.run, ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}) });
}

/** A running bulk transcription: iterate it for events; `done` resolves with the summary. */
export interface BulkRunHandle extends AsyncIterable<BulkEvent> {
  /** The summary, once every input is saved or failed, or the run was stopped. */
  readonly done: Promise<BulkSummary>;
}

/**
 * Transcribes many recordings: uploads/creates `concurrency` at a time (AIMD on 429), each under
 * a job id derived from its content and settings (so a rerun never makes a second job), learns
 * which finished from the job list (a few pages per poll, not one GET per job), saves each
 * format atomically under `outDir` mirroring the inputs, and keeps its state in a journal there
 * so a rerun after any crash resumes. With `store: "postgres://…"` and `run`, it is one worker
 * of a run shared by any number of workers (see `openPgStore`). Iterate the handle for typed
 * events; the last is `summary`.
 */
export function runBulk(options: BulkOptions): BulkRunHandle {
  const ctx = new RunContext(options, storeOf(options));
  const done = (async () => {
    try {
      if (isShared(ctx.store)) return await executeShared(ctx, ctx.store);
      return await (options.dryRun ? dryRun(ctx) : execute(ctx));
    } finally {
      ctx.limiter.stop();
      ctx.downloads.stop();
      ctx.events.end();
    }
  })();
  done.catch(() => {});
  return { done, [Symbol.asyncIterator]: () => ctx.events[Symbol.asyncIterator]() };
}
