#!/usr/bin/env node
/**
 * Time from process start to the frames of `slng-batch watch <id>` in a real pseudo-terminal
 * (@lydell/node-pty, 100×30) against a running emulator: the loading frame, the job's frame
 * (its stage timeline; both plain writes before Ink loads), Ink's first frame (its cursor
 * hide) and the exit after `q`. Baseline in the same run: `node -e ""` start to exit. Goal
 * (issue 12): the job's frame ≤ 80 ms over the baseline. Build first (`pnpm build`).
 * Writes bench/results/tui-startup.md.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, spawnPty, startJobToWatch } from "./lib/tui-watch-setup.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = 21;

const CSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");
const strip = (s) => s.replace(CSI, "");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

const { emulator, jobId: job_id, env } = await startJobToWatch(100, "bench.wav");

function once() {
  return new Promise((resolve) => {
    const start = performance.now();
    const pty = spawnPty(process.execPath, [cli, "watch", job_id], {
      cols: 100,
      rows: 30,
      env,
      name: "xterm-256color",
    });
    let out = "";
    let firstByte;
    let firstInk;
    let firstJob;
    pty.onData((d) => {
      out += d;
      if (firstByte === undefined && strip(out).includes(job_id)) firstByte = performance.now() - start;
      // Ink hides the cursor with its first frame (CSI ? 25 l); the plain-text frames before it do not.
      if (firstInk === undefined && out.includes(`${String.fromCharCode(27)}[?25l`))
        firstInk = performance.now() - start;
      if (firstJob === undefined && /QUEUED|IN_PROGRESS|DECODING/.test(strip(out))) {
        firstJob = performance.now() - start;
        pty.write("q");
      }
    });
    pty.onExit(() => resolve({ firstByte, firstInk, firstJob, exit: performance.now() - start }));
  });
}

function baseline() {
  const start = performance.now();
  spawnSync(process.execPath, ["-e", ""]);
  return performance.now() - start;
}

await once(); // warm the file system cache
const base = [];
const byte = [];
const ink = [];
const job = [];
const quit = [];
for (let i = 0; i < RUNS; i++) {
  base.push(baseline());
  const r = await once();
  byte.push(r.firstByte);
  ink.push(r.firstInk);
  job.push(r.firstJob);
  quit.push(r.exit);
}
await emulator.close();

const f = (x) => `${x.toFixed(0)} ms`;
const over = (xs) => median(xs) - median(base);
const rows = [
  ['`node -e ""` start → exit (baseline)', base],
  ["`slng-batch watch` start → first frame (the view's loading frame, plain writes)", byte],
  ["`slng-batch watch` start → the job's frame (stages, timers, key bar; plain writes from the first GET)", job],
  ["`slng-batch watch` start → Ink's first frame (Ink loaded, keys read as keys)", ink],
  ["`slng-batch watch` start → `q` → process exited", quit],
];
const md = `# tui-startup

Time from process start to the frames of \`slng-batch watch <id>\` in a real pseudo-terminal
(node-pty, 100×30) against an emulator on loopback, ${RUNS} runs each, interleaved with the
baseline (\`node -e ""\`) in the same run. Node ${process.version}, ${process.platform}/${process.arch}.
Goal (issue 12): the job's frame ≤ 80 ms over bare Node.

| measure | median | p90 | over baseline (medians) |
| --- | --- | --- | --- |
${rows.map(([name, xs]) => `| ${name} | ${f(median(xs))} | ${f(p90(xs))} | ${xs === base ? "" : f(over(xs))} |`).join("\n")}

**The job's frame: ${f(over(job))} over bare Node — goal ≤ 80 ms: ${over(job) <= 80 ? "met" : "not met"}.**

The view is one function of its state (\`apps/tui/src/components/watch-frame.ts\`). Before Ink is
imported, its lines are written as plain text: the loading frame at once, then the job's frame
when the first \`GET /v1/batch/jobs/{id}\` answers. Ink loads after that, and its first frame draws
the same screen (tested on a rendered screen: apps/tui/src/e2e-watch-frames.test.ts). "Ink's
first frame" is the first output with Ink's cursor hide (\`CSI ? 25 l\`); \`q\` is typed as
soon as the job's frame shows, so its time includes loading Ink. What remains before the job's
frame is this CLI's own modules, Node's fetch (undici, ~20 ms to load on first use), and the
round trip.

History (medians, each against its own same-run baseline): the job's timeline first showed in
Ink's first frame, 316 ms over baseline (a one-line placeholder before it), then 331 ms (the
loading frame in plain writes), then 163 ms (string-width's emoji expression no longer
compiled, 2026-12-02, main at 1475645). Now the frame is drawn before Ink loads.
`;
writeFileSync(join(here, "results/tui-startup.md"), md);
console.log(md);
