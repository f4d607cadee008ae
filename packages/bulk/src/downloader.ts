import type { SlngError } from "@slng/client";
import type { Item, RunContext } from "./context.js";
import { saveOutputs } from "./download.js";
import { outputPath, ownedFormats } from "./reconcile.js";
import { OutputConflictError } from "./save.js";
import { LeaseLostError } from "./shared-store.js";
import { backoff, messageOf, sleep } from "./util.js";

/**
 * Saves every wanted format of a DONE job into `outDir`, each atomically and only where bulk
 * may write (inside `outDir` by real path; a path it did not write only with `overwrite`; the
 * paths claimed in the store before the first byte), retrying retryable
 * failures (a 403 = an expired link gets one fresh `files` call at once); the input is `done`
 * once the store says so. A shared-run worker that lost the input's lease before claiming its
 * paths leaves it to the worker that took it over.
 */
export async function download(ctx: RunContext, item: Item): Promise<void> {
  const jobId = item.rec.jobId as string;
  for (let attempt = 0; !ctx.stop.signal.aborted; attempt++) {
    await ctx.downloads.acquire();
    try {
      if (ctx.stop.signal.aborted) return;
      const saved = await saveOutputs(ctx.client, {
        jobId,
        formats: ctx.s.formats,
        saved: item.rec.saved ?? [],
        pathOf: (format) => outputPath(ctx.o.outDir, item.rec.key, format),
        fetch: ctx.o.client?.fetch,
        signal: ctx.stop.signal,
        onRequest: () => ctx.requests++,
        onSaved: (formats) => {
          item.rec.saved = formats;
        },
        cleanStale: item.resumed === true,
        root: ctx.o.outDir,
        owned: ownedFormats(item.rec),
        overwrite: !!ctx.o.overwrite,
        claim: (claimed) => {
          item.rec.claimed = claimed;
          return ctx.store.append({ key: item.rec.key, claimed });
        },
      });
      ctx.ok();
      await ctx.setState(item, "done", {
        saved: [...saved],
        ...(item.rec.outputConflict ? { outputConflict: false } : {}),
      });
      return;
    } catch (e) {
      if (ctx.stop.signal.aborted || e instanceof LeaseLostError) return;
      const err = e as SlngError & { status?: number };
      if (err.status === 403 && attempt === 0) continue;
      if (!err.retryable || attempt + 1 >= ctx.s.maxAttempts || !ctx.transient(e)) {
        await ctx.setState(item, "failed", {
          error: messageOf(e),
          cause: "job",
          ...(e instanceof OutputConflictError ? { outputConflict: true } : {}),
        });
        return;
      }
    } finally {
      ctx.downloads.release();
    }
    await sleep(backoff(attempt), ctx.stop.signal);
  }
}

/** Saves `item`'s outputs as tracked background work, counted in the run's backlog until it is saved or given up. */
export function downloadLater(ctx: RunContext, item: Item): void {
  ctx.backlog.enter();
  ctx.spawn(download(ctx, item).finally(() => ctx.backlog.leave()));
}
