import type { RunContext } from "./context.js";
import { type Decision, decide } from "./reconcile.js";
import type { InputRecord } from "./types.js";

/** Decides every input from its record and the disk (64 at a time) and registers it as an item of the run. */
export async function decideAll(ctx: RunContext, records: Map<string, InputRecord>): Promise<Map<string, Decision>> {
  const out = new Map<string, Decision>();
  const { inputs } = ctx.o;
  for (let i = 0; i < inputs.length; i += 64) {
    const batch = inputs.slice(i, i + 64);
    const ds = await Promise.all(
      batch.map((input) =>
        decide(input, records.get(input.key), ctx.o.outDir, ctx.s.formats, !!ctx.o.retryFailed, !!ctx.o.overwrite),
      ),
    );
    batch.forEach((input, j) => {
      const d = ds[j] as Decision;
      out.set(input.key, d);
      ctx.register(input, i + j, d.record);
    });
  }
  return out;
}

/** Emits the `plan` event: how many inputs, how many already saved, how many resumed in flight. */
export function emitPlan(ctx: RunContext, decisions: Map<string, Decision>): void {
  let alreadyDone = 0;
  let resumed = 0;
  for (const d of decisions.values()) {
    if (d.action === "skip") alreadyDone++;
    if (d.action === "await" || d.action === "resume" || d.action === "download") resumed++;
  }
  ctx.emit({
    type: "plan",
    total: decisions.size,
    skippedFiles: [...(ctx.o.skippedFiles ?? [])],
    alreadyDone,
    resumed,
  });
}
