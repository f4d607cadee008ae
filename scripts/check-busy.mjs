#!/usr/bin/env node
/**
 * `pnpm check:busy`: the whole test run on a busy machine. Starts two CPU hogs (Debian's
 * `stress-ng --cpu 2` when it is installed, else two `node -e 'for(;;);'` loops), runs
 * `pnpm check --force` (no Turborepo cache: every test really runs) the given number of times
 * in a row (default 3, `--runs N`), stops the hogs, and exits 0 only if every run passed.
 * A test that depends on how fast the machine is shows up here; CI runs on such a machine.
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const flag = process.argv.indexOf("--runs");
const runs = flag > 0 ? Number(process.argv[flag + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) {
  console.error("--runs takes a whole number of runs, 1 or more (e.g. --runs 3)");
  process.exit(2);
}

const hasStressNg = spawnSync("sh", ["-c", "command -v stress-ng"]).status === 0;
const hogs = hasStressNg
  ? [spawn("stress-ng", ["--cpu", "2", "--quiet"], { stdio: "ignore" })]
  : [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }));
const stopHogs = () => {
  for (const hog of hogs) hog.kill("SIGKILL");
  if (hasStressNg) spawnSync("pkill", ["-KILL", "-f", "^stress-ng --cpu 2 --quiet"]);
};
/** The `pnpm check` under way: in a process group of its own, so a signal stops all of it. */
let current;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopHogs();
    if (current) {
      try {
        process.kill(-current.pid, "SIGKILL");
      } catch {}
    }
    process.exit(130);
  });
}
console.log(`▶ CPU hogs: ${hasStressNg ? "stress-ng --cpu 2" : "two node busy loops"}; ${runs} runs of pnpm check`);

/** Runs `pnpm check --force`, passing its output through; resolves with its exit code and last line. */
function runCheck() {
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["run", "check", "--force"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    current = child;
    let tail = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4096);
    });
    child.on("close", (code) => resolve({ code, last: tail.trim().split("\n").at(-1) ?? "" }));
  });
}

const outcomes = [];
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  console.log(`\n▶ busy run ${i} of ${runs}: pnpm check --force`);
  const { code, last } = await runCheck();
  outcomes.push({ ok: code === 0, last, minutes: (Date.now() - started) / 60000 });
}
stopHogs();

console.log("\nBusy-machine runs");
for (const [i, o] of outcomes.entries()) {
  console.log(`  ${o.ok ? "✔" : "✘"} run ${i + 1}: ${o.last} (${o.minutes.toFixed(1)} min)`);
}
const passed = outcomes.filter((o) => o.ok).length;
console.log(`${passed} passed, ${outcomes.length - passed} failed`);
process.exit(passed === outcomes.length ? 0 : 1);
