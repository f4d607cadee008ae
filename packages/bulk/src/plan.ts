import type { RunContext } from "./context.js";
import { type Decision, decide } from "./reconcile.js";
import type { BulkInput, RecordMap } from "./types.js";

/**
 * A run's plan: a decision per input that needs one and, in a `lazy` plan, the positions of the
 * inputs with no record, to upload (they get no item until their upload starts), and of those
 * an earlier run settled (`earlier`: kept in the run's settled table, saved ones counted in
 * `alreadySaved`), so a run of 100,000 inputs holds neither 100,000 items nor their records.
 */
export interface Plan {
  decisions: Map<string, Decision>;
  fresh: number[];
  earlier: number[];
  alreadySaved: number;
}

/**
 * Decides every input from its record and the disk (64 at a time) and registers the decided
 * ones as items of the run; with `lazy`, an input new to the run that is to be uploaded is only
 * listed in `fresh`, one an earlier run settled goes straight to the settled table, and each
 * record is dropped from `records` once decided. An input given again under an earlier input's
 * key is planned once, at its first position.
 */
export async function decideAll(ctx: RunContext, records: RecordMap, lazy = false): Promise<Plan> {
  const plan: Plan = { decisions: new Map(), fresh: [], earlier: [], alreadySaved: 0 };
  const { inputs } = ctx;
  ctx.indexInputs();
  for (let i = 0; i < inputs.length; i += 64) {
    const batch: { input: BulkInput; at: number }[] = [];
    for (let at = i; at < Math.min(i + 64, inputs.length); at++)
      if (!ctx.duplicates.has(at)) batch.push({ input: inputs.at(at), at });
    const ds = await Promise.all(
      batch.map(({ input }) =>
        decide(input, records.get(input.key), ctx.o.outDir, ctx.s.formats, !!ctx.o.retryFailed, !!ctx.o.overwrite),
      ),
    );
    batch.forEach(({ input, at }, j) => {
      const d = ds[j] as Decision;
      const known = records.has(input.key);
      if (lazy) records.delete(input.key);
      if (lazy && d.action === "upload" && !known && !d.reason && !d.refreshed) plan.fresh.push(at);
      else if (lazy && ctx.settled && (d.action === "skip" || d.action === "keep-failed") && !d.refreshed) {
        ctx.settled.put(at, d.record);
        plan.earlier.push(at);
        if (d.action === "skip") plan.alreadySaved++;
      } else {
        plan.decisions.set(input.key, d);
        ctx.register(input, at, d.record);
      }
    });
  }
  return plan;
}

/** Emits the `plan` event: how many inputs, how many already saved, how many resumed in flight. */
export function emitPlan(ctx: RunContext, plan: Plan): void {
  let alreadyDone = plan.alreadySaved;
  let resumed = 0;
  for (const d of plan.decisions.values()) {
    if (d.action === "skip") alreadyDone++;
    if (d.action === "await" || d.action === "resume" || d.action === "download") resumed++;
  }
  ctx.emit({
    type: "plan",
    total: plan.decisions.size + plan.fresh.length + plan.earlier.length,
    skippedFiles: [...(ctx.o.skippedFiles ?? [])],
    alreadyDone,
    resumed,
  });
}
