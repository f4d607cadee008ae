import { stat } from "node:fs/promises";
import type { SlngError } from "@slng/client";
import type { Item, RunContext } from "./context.js";
import { deriveJobId, hashFile, hashText } from "./job-id.js";
import { isAlreadyInUse } from "./job-state.js";
import type { BulkInput } from "./types.js";
import { backoff, messageOf, sleep } from "./util.js";

type Outcome = "done" | "again";

/**
 * Starts the uploads of the inputs at `positions` (an item made for each as it starts),
 * `concurrency` at a time (the AIMD limiter), each once the backlog of finished jobs to save and
 * the queue of events not yet read have room (the creates go no faster than the downloads and
 * the reader), and waits for them all.
 */
export async function uploadLoop(ctx: RunContext, positions: readonly number[]): Promise<void> {
  for (const at of positions) {
    await ctx.backlog.room(ctx.stop.signal);
    await ctx.events.room(ctx.stop.signal);
    await ctx.limiter.acquire();
    if (ctx.stop.signal.aborted) {
      ctx.limiter.release();
      break;
    }
    const input = ctx.inputs.at(at);
    const item = ctx.items.get(input.key) ?? ctx.register(input, at, { key: input.key, state: "pending" });
    ctx.spawn(upload(ctx, item, true));
  }
  await Promise.all(ctx.work);
  ctx.uploadsLeft = 0;
}

/**
 * Hashes (if needed) and creates the job of one input under its derived id, retrying with
 * back-off; on success hands a `created` or `adopted` work event on. `held`: a limiter slot is
 * already taken for the first attempt.
 */
export async function upload(ctx: RunContext, item: Item, held: boolean): Promise<void> {
  try {
    for (let attempt = 0; ; attempt++) {
      if (!held) await ctx.limiter.acquire();
      held = true;
      if (ctx.stop.signal.aborted) return;
      const outcome = await createOnce(ctx, item);
      ctx.limiter.release();
      held = false;
      if (outcome === "done") return;
      if (attempt + 1 >= ctx.s.maxAttempts) {
        await ctx.setState(item, "failed", { error: item.rec.error ?? "could not create the job", cause: "job" });
        return;
      }
      await sleep(backoff(attempt), ctx.stop.signal);
    }
  } finally {
    if (held) ctx.limiter.release();
    ctx.uploadsLeft--;
  }
}

/** The job's settings that go into its id: transcription config (with the row's language), model, output config. */
export function settingsOf(ctx: RunContext, input: BulkInput) {
  const config = { ...ctx.o.config, ...(input.language ? { language: input.language } : {}) };
  return { config, model: ctx.o.modelCode, output: ctx.o.outputConfig };
}

async function prepare(ctx: RunContext, item: Item): Promise<string> {
  const { input } = item;
  if (!item.rec.sha256) {
    const info = input.path ? await stat(input.path) : undefined;
    const sha256 = input.path ? await hashFile(input.path) : hashText(input.url as string);
    item.rec = { ...item.rec, sha256, ...(info ? { size: info.size, mtimeMs: info.mtimeMs } : {}) };
  }
  if (item.rec.jobId && item.rec.state !== "pending") return item.rec.jobId;
  return deriveJobId({
    salt: ctx.salt,
    sha256: item.rec.sha256 as string,
    settings: settingsOf(ctx, input),
    attempt: item.rec.attempt ?? 0,
  });
}

function rowOptions(ctx: RunContext, input: BulkInput) {
  const tracking = { ...ctx.o.tracking, ...input.tracking };
  const metadata = { ...ctx.o.metadata, ...input.metadata };
  return {
    ...(Object.keys(tracking).length ? { tracking } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

/** One create attempt: "done" when the input moved on (queued, adopted or failed for good), else "again". */
async function createOnce(ctx: RunContext, item: Item): Promise<Outcome> {
  let jobId: string;
  try {
    jobId = await prepare(ctx, item);
  } catch (e) {
    await ctx.setState(item, "failed", {
      error: `cannot read ${item.input.path}: ${messageOf(e)}`,
      cause: "unreadable",
    });
    return "done";
  }
  const { sha256, size, mtimeMs, attempt } = item.rec;
  ctx.setState(item, "uploading", { jobId, sha256, size, mtimeMs, attempt: attempt ?? 0, createdAt: Date.now() });
  const claim = await ctx.shared.claim(jobId);
  if (claim.follow) return adopt(ctx, item, jobId, "shared");
  const outcome = await sendCreate(ctx, item, jobId);
  claim.settle(!["pending", "uploading", "failed"].includes(item.rec.state));
  return outcome;
}

/** Sends the create of `jobId` (the leader of its identical recordings); see {@link createOnce}. */
async function sendCreate(ctx: RunContext, item: Item, jobId: string): Promise<Outcome> {
  const { input } = item;
  const settings = settingsOf(ctx, input);
  try {
    if (ctx.streamedUploads && input.path) ctx.requests++;
    await ctx.client.jobs.create({
      ...(input.path ? { file: input.path } : { url: input.url as string }),
      jobId,
      config: settings.config,
      ...(ctx.o.modelCode ? { modelCode: ctx.o.modelCode } : {}),
      ...(ctx.o.outputConfig ? { outputConfig: ctx.o.outputConfig } : {}),
      ...rowOptions(ctx, input),
      signal: ctx.stop.signal,
      onUploadProgress: (p) => {
        if (p.phase === "upload")
          ctx.emit({ type: "upload_progress", key: input.key, loaded: p.loaded, total: p.total });
      },
    });
    ctx.ok();
    ctx.limiter.success();
    item.timed = true;
    ctx.hand({ type: "created", item });
    return "done";
  } catch (e) {
    return createFailed(ctx, item, jobId, e);
  }
}

async function createFailed(ctx: RunContext, item: Item, jobId: string, e: unknown): Promise<Outcome> {
  if (ctx.stop.signal.aborted) return "done";
  if (isAlreadyInUse(e)) return adopt(ctx, item, jobId);
  const err = e as SlngError & { status?: number; retryAfterMs?: number };
  if (err.status === 403 || err.status === 401) {
    ctx.end("auth", `not authorised (${err.status}): ${err.message}. Check SLNG_API_KEY or --api-key.`);
    return "done";
  }
  if (err.status === 429) ctx.limiter.rateLimited(err.retryAfterMs ?? 1000);
  if (err.retryable) {
    item.rec.error = err.message;
    return ctx.transient(e) ? "again" : "done";
  }
  ctx.ok();
  await ctx.setState(item, "failed", { error: err.message ?? String(e), cause: "refused" });
  return "done";
}

/**
 * The server already has this id: the create landed in an earlier attempt, run or worker, or an
 * identical recording of this run made it (`shared`). Follow that job.
 */
async function adopt(
  ctx: RunContext,
  item: Item,
  jobId: string,
  reason: "adopted" | "shared" = "adopted",
): Promise<Outcome> {
  try {
    const job = await ctx.client.jobs.get(jobId, { signal: ctx.stop.signal });
    ctx.ok();
    ctx.hand({ type: "adopted", item, job, reason });
    return "done";
  } catch (e) {
    const err = e as SlngError & { status?: number };
    if (err.status === 404) {
      await ctx.setState(item, "failed", {
        error: `job id ${jobId} is taken by a job this API key cannot see; delete ${ctx.o.outDir}/.slng-bulk.jsonl to start afresh`,
        cause: "local",
      });
      return "done";
    }
    return err.retryable && ctx.transient(e) ? "again" : "done";
  }
}
