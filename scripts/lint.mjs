#!/usr/bin/env node
/**
 * `pnpm lint`: Biome (`biome ci --error-on-warnings`) on the files git tracks, so what a run of
 * the tools leaves in the checkout (a bulk report in ./transcripts, a scratch file) never fails
 * the lint. Biome's VCS integration (biome.json) skips what .gitignore lists; this also skips
 * files git does not know yet (`git add` one to have it linted). Extra arguments go to Biome.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const biome = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin", "biome");
const git = spawnSync("git", ["ls-files", "-z", "--cached"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
if (git.status !== 0) {
  console.error(`lint: git ls-files failed (run it in a git checkout): ${git.stderr || git.error?.message}`);
  process.exit(2);
}
const tracked = git.stdout.split("\0").filter((f) => f !== "" && existsSync(f));
const args = ["ci", "--error-on-warnings", "--files-ignore-unknown=true", "--no-errors-on-unmatched"];
const r = spawnSync(biome, [...args, ...process.argv.slice(2), ...tracked], { stdio: "inherit" });
process.exit(r.status ?? 1);
