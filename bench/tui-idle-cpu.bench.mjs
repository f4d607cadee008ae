#!/usr/bin/env node
/**
 * CPU used by `slng-batch watch <id>` (the Ink view in a real pseudo-terminal, 100×30) while the
 * job stays in one state, and by the same watch without a terminal (polling only), against an
 * idle Node process (`setInterval` every second), side by side in the same run, 3–23 s and
 * 30–60 s after start. CPU time is read from /proc/<pid>/stat (utime+stime). Goal (issue 12):
 * < 0.4 % of a core. Build first (`pnpm build`). Writes bench/results/tui-idle-cpu.md.
 */
import { execSync, spawn as spawnChild } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, spawnPty, startJobToWatch } from "./lib/tui-watch-setup.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** Two windows per process: from 3 s to 23 s (as earlier runs measured), and 30–60 s, once start-up garbage is collected. */
const MARKS_MS = [3000, 23_000, 30_000, 60_000];
const TICKS = Number(spawnSyncTicks());

function spawnSyncTicks() {
  try {
    return execSync("getconf CLK_TCK").toString().trim();
  } catch {
    return "100";
  }
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** % of one core used by `pid` in each window between {@link MARKS_MS} (from when it started). */
async function measure(pid) {
  const start = performance.now();
  const readings = [];
  for (const mark of MARKS_MS) {
    await new Promise((r) => setTimeout(r, mark - (performance.now() - start)));
    readings.push({ cpu: cpuSeconds(pid), at: performance.now() });
  }
  const pct = (a, b) => ((b.cpu - a.cpu) / ((b.at - a.at) / 1000)) * 100;
  return { early: pct(readings[0], readings[1]), steady: pct(readings[2], readings[3]) };
}

// 60 s of audio × rtf 1000: the job stays QUEUED for hours.
const { emulator, slng, jobId: job_id, env } = await startJobToWatch(1000, "idle.wav");

// The three processes run side by side (each uses well under 1 % of a core; the machine has 2).
const idle = spawnChild(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
const piped = spawnChild(process.execPath, [cli, "watch", job_id], { env, stdio: "ignore" });
const pty = spawnPty(process.execPath, [cli, "watch", job_id], { cols: 100, rows: 30, env, name: "xterm-256color" });
let bytes = 0;
let chunks = 0;
let bytesAfterStart = 0;
pty.onData((d) => {
  bytes += d.length;
  chunks++;
});
setTimeout(() => {
  bytesAfterStart = bytes;
}, MARKS_MS[0]);
const [baseline, lines, watch] = await Promise.all([measure(idle.pid), measure(piped.pid), measure(pty.pid)]);
const idleSeconds = (MARKS_MS[3] - MARKS_MS[0]) / 1000;
const status = (await slng.jobs.get(job_id)).status;
idle.kill();
piped.kill("SIGINT");
pty.write("q");
await new Promise((r) => pty.onExit(r));
await emulator.close();

const f = (x) => `${x.toFixed(2)}%`;
// Judged on the figures as printed (two decimals), so "0.40 %" never reads as under 0.4 %.
const under = (x) => Number(x.toFixed(2)) < 0.4;
const md = `# tui-idle-cpu

CPU used by \`slng-batch watch <id>\` (Ink view in a pseudo-terminal, 100×30) on a job that stays
in ${status} for the whole run, against an idle Node process (\`setInterval\` every second), all
three side by side in the same run, in two windows: 3–23 s after start (what earlier runs
measured) and 30–60 s (steady state: the garbage of start-up collected). CPU time from
/proc/<pid>/stat (${TICKS} ticks a second: ±${((1 / TICKS / 20) * 100).toFixed(2)} points in the first
window, ±${((1 / TICKS / 30) * 100).toFixed(2)} in the second). Node ${process.version}, ${process.platform}/${process.arch}.
Goal (issue 12): < 0.4 % of one core.

| process | 3–23 s | 30–60 s |
| --- | ---: | ---: |
| idle \`node -e "setInterval(()=>{},1000)"\` (baseline) | ${f(baseline.early)} | ${f(baseline.steady)} |
| \`slng-batch watch\` without a terminal (line output: polling only) | ${f(lines.early)} | ${f(lines.steady)} |
| \`slng-batch watch\` on an unchanging job (Ink view) | ${f(watch.early)} | ${f(watch.steady)} |

**Ink view: ${f(watch.early)} (3–23 s), ${f(watch.steady)} (30–60 s) — goal < 0.4 %: ${under(watch.early) && under(watch.steady) ? "met in both windows" : under(watch.steady) ? "met at steady state, not in the first window" : "not met"}.**

From 3 s to the end the view wrote ${((bytes - bytesAfterStart) / 1024).toFixed(1)} KiB (${((bytes - bytesAfterStart) / idleSeconds).toFixed(0)} bytes a second; ${chunks} chunks in all).
A clock tick no longer renders React: it rebuilds the view's lines
(\`apps/tui/src/components/watch-frame.ts\`) and rewrites only those that changed — the spinner
and the timers — in one synchronized update (\`apps/tui/src/lib/tick-patch.ts\`). Polling is the rest:
every second while the job is queued against this loopback emulator (1.5 s against the API), so
that a poll lands in every stage of 1 s or longer (it was every 3 s, 0.13 % at steady state, before). In the first window V8 still collects Ink's start-up garbage (a CPU profile showed
~10 ms garbage-collector pauses at about 8 s and 19 s).

History (Ink view, 3–23 s window, same-run baselines ~0.05 %): 1.70 % (one React render a second),
1.40 % at the start of this round (main at 1475645), 0.40 % with the tick patches (a loaded
machine).
`;
writeFileSync(join(here, "results/tui-idle-cpu.md"), md);
console.log(md);
