import type { Item, RunContext } from "./context.js";
import { download } from "./downloader.js";
import { Poller } from "./poller.js";
import { finishRun } from "./report.js";
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

/** Waits `ms`, or less when one of `active` settles. */
const idle = (ms: number, active: Iterable<Promise<void>>, signal: AbortSignal) =>
  Promise.race([sleep(ms, signal), ...active]);

/**
 * One worker of a shared run: joins the run, then claims inputs in small batches under leases
 * (renewed while it works on them), creates or adopts their jobs and downloads the finished
 * ones; the worker that holds the run's poller lock polls the job list for everyone. It keeps
 * helping (taking over expired leases) until no input of the run is unfinished, then reports
 * from the store: the same report whichever worker writes it.
 */
export async function executeShared(ctx: RunContext, store: SharedStore): Promise<BulkSummary> {
  for (const input of ctx.o.inputs)
    ctx.items.set(input.key, { input, rec: { key: input.key, state: "pending" }, lastSeen: 0 });
  try {
    const notice = (message: string) => ctx.emit({ type: "warning", message });
    ctx.salt = (
      await store.join({ settings: runSettings(ctx), keys: [...ctx.items.keys()], notice, signal: ctx.stop.signal })
    ).salt;
  } catch (e) {
    ctx.end("local", messageOf(e));
    await store.close().catch(() => {});
    return finishRun(
      ctx,
      [...ctx.items.values()].map((i) => i.rec),
      false,
    );
  }
  ctx.connect();
  const poller = new Poller(ctx);
  const before = await store.records();
  ctx.emit({
    type: "plan",
    total: before.length,
    skippedFiles: [...(ctx.o.skippedFiles ?? [])],
    alreadyDone: before.filter((r) => r.state === "done").length,
    resumed: before.filter((r) => r.state !== "done" && r.state !== "pending" && r.state !== "failed").length,
  });
  const finished = { value: false };
  const polling = pollShared(ctx, store, poller, finished).catch((e) => ctx.end("local", messageOf(e)));
  try {
    await claimLoop(ctx, store);
  } catch (e) {
    if (!ctx.stop.signal.aborted) ctx.end("local", `the bulk store failed: ${messageOf(e)}`);
  }
  finished.value = true;
  await ctx.settle();
  await polling;
  if (ctx.stop.signal.aborted) await store.release().catch(() => {});
  const records = await store.records().catch(() => [...ctx.items.values()].map((i) => i.rec));
  await store.close();
  return finishRun(ctx, records, true);
}

/** Claims and works inputs until the whole run is finished (or the run stops). */
async function claimLoop(ctx: RunContext, store: SharedStore): Promise<void> {
  const active = new Map<string, Promise<void>>();
  const renew = setInterval(() => {
    store.renew([...active.keys()]).catch(() => {});
  }, store.leaseMs / 3);
  let wait = ctx.s.pollMin;
  try {
    while (!ctx.stop.signal.aborted) {
      const room = ctx.s.concurrency - active.size;
      const claimed = room > 0 ? await store.claim(room) : [];
      for (const rec of claimed) start(ctx, rec, active);
      if (claimed.length > 0) {
        wait = ctx.s.pollMin;
        if (active.size >= ctx.s.concurrency) await Promise.race(active.values());
        continue;
      }
      if (active.size === 0 && (await store.progress()).unfinished === 0) return;
      await idle(wait, active.values(), ctx.stop.signal);
      wait = Math.min(ctx.s.pollMax, wait * 1.5);
    }
  } finally {
    clearInterval(renew);
    await Promise.all(active.values());
  }
}

/** Works one claimed input: downloads a finished job, else creates (or, resumed, adopts) its job. */
function start(ctx: RunContext, rec: InputRecord, active: Map<string, Promise<void>>) {
  const item = ctx.items.get(rec.key) as Item | undefined;
  if (!item) {
    ctx.emit({ type: "warning", message: `the run has an input this worker was not given: ${rec.key}` });
    return;
  }
  item.rec = rec;
  item.resumed = rec.state !== "pending";
  ctx.uploadsLeft++;
  const work = (rec.state === "downloading" ? download(ctx, item) : upload(ctx, item, false))
    .catch((e) => ctx.end("local", `stopped on a local error: ${messageOf(e)}`))
    .finally(() => active.delete(rec.key));
  active.set(rec.key, work);
}

/** While this worker holds the poller lock, polls the jobs in flight of the whole run (read from the store). */
async function pollShared(ctx: RunContext, store: SharedStore, poller: Poller, finished: { value: boolean }) {
  let interval = ctx.s.pollMin;
  while (!ctx.stop.signal.aborted && !finished.value) {
    await sleep(interval, ctx.stop.signal);
    if (ctx.stop.signal.aborted || finished.value || !(await store.holdPoller())) continue;
    const outstanding = await store.outstanding();
    poller.replace(outstanding);
    if (poller.size === 0) continue;
    const changed = await poller.pollGuarded();
    interval = changed ? ctx.s.pollMin : Math.min(ctx.s.pollMax, interval * 1.5);
  }
}
