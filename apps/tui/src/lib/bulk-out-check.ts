import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "./args.js";

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for an --out not made yet). */
async function realOrAncestor(p: string): Promise<string> {
  const real = await realpath(p).catch(() => undefined);
  if (real) return real;
  const parent = dirname(p);
  return parent === p ? p : join(await realOrAncestor(parent), basename(p));
}

/**
 * Refuses an `--out` that is (by real path) an input folder or inside one: bulk would write its
 * transcripts, journal and report among the recordings, and the next run would meet them there.
 */
export async function checkOutOutsideInputs(sources: readonly string[], outDir: string): Promise<void> {
  const out = await realOrAncestor(resolve(outDir));
  for (const source of sources) {
    if (!(await stat(source).catch(() => undefined))?.isDirectory()) continue;
    const folder = await realpath(source);
    if (out !== folder && !out.startsWith(folder + sep)) continue;
    const where = out === folder ? "is the input folder" : "is inside the input folder";
    throw new UsageError(
      `--out ${outDir} ${where} ${source}: bulk would write its transcripts, journal and report among your recordings. Choose an --out outside it (e.g. ${join(relative(process.cwd(), dirname(folder)) || ".", `${basename(folder)}-transcripts`)})`,
      "bulk",
    );
  }
}
