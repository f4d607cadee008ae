import { join } from "node:path";
import type { Item, RunContext } from "./context.js";
import { deriveJobId, hashFile, hashText } from "./job-id.js";
import { JOURNAL_FILE, readJournal, replay } from "./journal.js";
import { decideAll, emitPlan } from "./plan.js";
import type { Decision } from "./reconcile.js";
import { finishRun } from "./report.js";
import type { BulkSummary } from "./types.js";
import { settingsOf } from "./uploader.js";

/** The job id a real run would create `item` under (the journal's salt, or none on a first run: identity within the run is the same). */
async function wouldBeJobId(ctx: RunContext, item: Item, salt: string): Promise<string | undefined> {
  const { input } = item;
  const sha256 =
    item.rec.sha256 ?? (input.path ? await hashFile(input.path).catch(() => undefined) : hashText(input.url ?? ""));
  if (!sha256) return undefined;
  return deriveJobId({ salt, sha256, settings: settingsOf(ctx, input), attempt: item.rec.attempt ?? 0 });
}

/** The `reason` of a dry run's line, and the record it would end with (an input it cannot take ends FAILED). */
async function wouldDo(
  ctx: RunContext,
  item: Item,
  d: Decision,
  leaders: Map<string, string>,
  salt: string,
): Promise<string> {
  if (d.action === "missing" || d.action === "conflict") {
    const error = d.action === "missing" ? `${item.input.path} does not exist or is not a file` : (d.reason as string);
    const cause = d.action === "missing" ? { cause: "missing" as const } : { outputConflict: true };
    item.rec = { ...item.rec, state: "failed", error, ...cause };
    return `would fail: ${error}`;
  }
  if (d.action !== "upload" && d.action !== "retry") return `would ${d.action}`;
  const jobId = await wouldBeJobId(ctx, item, salt);
  const leader = jobId ? leaders.get(jobId) : undefined;
  if (leader) return `would share the job of ${leader}`;
  if (jobId) leaders.set(jobId, item.input.key);
  return `would ${d.action}`;
}

/**
 * `dryRun`: decides every input as a run would, from the journal and the disk, and emits one
 * `would …` line each, sending and writing nothing. An identical recording says whose job it
 * would share; an input that cannot be taken (a missing file, an output path in the way) is
 * counted as failed. The summary is never `detached`: nothing was started.
 */
export async function dryRun(ctx: RunContext): Promise<BulkSummary> {
  const { salt, records } = ctx.o.store
    ? await ctx.store.load()
    : await readJournal(join(ctx.o.outDir, JOURNAL_FILE)).catch(() => replay(""));
  const plan = await decideAll(ctx, records);
  emitPlan(ctx, plan);
  const leaders = new Map<string, string>();
  for (const r of records.values()) if (r.jobId && !leaders.has(r.jobId)) leaders.set(r.jobId, r.key);
  for (const [key, d] of plan.decisions) {
    const item = ctx.items.get(key) as Item;
    const reason = await wouldDo(ctx, item, d, leaders, salt ?? "");
    const { state, error } = item.rec;
    ctx.emit({ type: "input", key, state, previous: d.record.state, reason, ...(error ? { error } : {}) });
  }
  const summary = await finishRun(
    ctx,
    [...ctx.items.values()].map((i) => i.rec),
    false,
    { detached: false },
  );
  return summary;
}
