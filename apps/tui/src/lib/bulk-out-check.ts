import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { UsageError } from "./args.js";

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for an --out not made yet). */
async function realOrAncestor(p: string): Promise<string> {
  const real = await realpath(p).catch(() => undefined);
  if (real) return real;
  const parent = dirname(p);
  return parent === p ? p : join(await realOrAncestor(parent), basename(p));
}

/**
 * Refuses an `--out` that is (by real path) an input folder: bulk would write its transcripts,
 * journal and report among the recordings, and the next run would meet them there. An `--out`
 * inside an input folder (`bulk . --out ./transcripts`) is fine: the walk never enters it.
 */
export async function checkOutOutsideInputs(sources: readonly string[], outDir: string): Promise<void> {
  const out = await realOrAncestor(resolve(outDir));
  for (const source of sources) {
    if (!(await stat(source).catch(() => undefined))?.isDirectory()) continue;
    const folder = await realpath(source);
    if (out !== folder) continue;
    throw new UsageError(
      `--out ${outDir} is the input folder ${source}: bulk would write its transcripts, journal and report among your recordings. Choose an --out outside it (e.g. ${join(relative(process.cwd(), dirname(folder)) || ".", `${basename(folder)}-transcripts`)})`,
      "bulk",
    );
  }
}
