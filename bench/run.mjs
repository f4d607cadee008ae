#!/usr/bin/env node
/**
 * Runs every benchmark in bench/ (each `bench/*.bench.mjs` is a standalone script that
 * measures its subject against a baseline in the same run and writes its numbers to
 * bench/results/<name>.md). Build first: `pnpm build`. Run one with
 * `node bench/<name>.bench.mjs`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => !only || f.includes(only))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n▶ ${file}`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed; results in bench/results/`);
process.exit(failed ? 1 : 0);
