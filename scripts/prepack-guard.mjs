#!/usr/bin/env node
/**
 * `prepack` of every published package (run by `pnpm pack`, `pnpm publish`, `npm publish` and
 * so by `changeset publish`): refuses to pack a package whose build is missing or stale, so a
 * release can never ship a tarball with only LICENSE, README and package.json in it.
 *
 * It fails (exit 1, one message saying what is wrong and the command that fixes it) when
 * - a file the manifest points at (`main`, `module`, `types`, `exports`, `bin`) is not there, or
 * - a build input (`src/**` without tests, `tsup.config.ts`, `tsconfig.json`) is newer than the
 *   oldest file in `dist/`.
 * Run it in the package's folder: `node ../../scripts/prepack-guard.mjs`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const TEST_FILE = /\.test(-d)?\.tsx?$/;
const CONFIG_INPUTS = ["tsup.config.ts", "tsconfig.json"];

/** Every file under `dir` (recursive), or none when it does not exist. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The relative paths a manifest points at: main, module, types, every `exports` target, bins. */
export function entryPoints(manifest) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === "string") targets.add(value);
    else if (value && typeof value === "object") for (const v of Object.values(value)) walk(v);
  };
  walk([manifest.main, manifest.module, manifest.types, manifest.exports, manifest.bin]);
  return [...targets].filter((t) => t.startsWith("./dist/") || t.startsWith("dist/"));
}

/**
 * What is wrong with the build of the package in `dir`, or `undefined` when it can be packed.
 * Exported for the tests.
 */
export function buildProblem(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const dist = filesUnder(join(dir, "dist"));
  if (dist.length === 0) return `${manifest.name} has no dist/ (it was never built)`;
  const missing = entryPoints(manifest).filter((target) => !existsSync(join(dir, target)));
  if (missing.length > 0) return `${manifest.name}'s dist/ lacks ${missing.join(", ")}`;
  const oldestOutput = Math.min(...dist.map((file) => statSync(file).mtimeMs));
  const inputs = [
    ...filesUnder(join(dir, "src")).filter((file) => !TEST_FILE.test(file)),
    ...CONFIG_INPUTS.map((file) => join(dir, file)).filter((file) => existsSync(file)),
  ];
  const stale = inputs.filter((file) => statSync(file).mtimeMs > oldestOutput);
  if (stale.length > 0) {
    const shown = stale.slice(0, 3).map((file) => relative(dir, file));
    const more = stale.length > 3 ? ` and ${stale.length - 3} more` : "";
    return `${manifest.name}'s dist/ is older than ${shown.join(", ")}${more} (it was built before the last change)`;
  }
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.cwd();
  const problem = buildProblem(dir);
  if (problem) {
    const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
    process.stderr.write(
      `prepack: refusing to pack: ${problem}.\n` +
        `Build it first, from the repository root: pnpm exec turbo run build --filter=${name}... (add --force if turbo replays a cache hit without rewriting dist/)\n`,
    );
    process.exitCode = 1;
  }
}
