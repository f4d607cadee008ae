#!/usr/bin/env node
/**
 * Memory of `slng-batch bulk` as the input count grows (issue 16 item 6): the built CLI on a
 * manifest of N small distinct WAVs against the built emulator (`--rtf 0 --min-stage-ms 20`, a
 * child process, fresh for each run), once uncapped and once under `--max-old-space-size=64`, in
 * the same bench run. Per run: exit code, inputs done (from bulk-report.json), wall time, CPU time
 * of the CLI process (user + system), time in GC, peak RSS, peak heap used and the largest heap
 * left after a full (mark-compact) GC (what the run really keeps alive).
 * Goal: the capped run completes in at most 1.5× the CPU time of the uncapped one.
 * `--together` runs the two at the same time (each with its own emulator): half the wall time on a
 * busy machine, both under the same load; CPU time is what is compared.
 * `--rerun` then runs the capped CLI again over the capped run's finished folder (every input
 * settled by an earlier run: the journal read and the plan made with no request).
 * `--store postgres://…` makes each run one worker of a shared run in that database (a run name of
 * its own), results in `bench/results/bulk-memory-shared.md`.
 * Run after `pnpm build`: node bench/bulk-memory.bench.mjs [--n 20000] [--cap 64] [--semi MB] [--concurrency 16] [--together] [--rerun] [--store URL]
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleWav } from "../packages/emulator/dist/index.js";
import { startEmulator } from "./lib/emulator-process.mjs";
import { writeResults } from "./lib/results.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, "../apps/tui/dist/cli.js");
const KEY = "benchBulkMemoryKey";
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("n", 20_000);
const CAP = arg("cap", 64);
const CONCURRENCY = arg("concurrency", 16);
/** `--semi N`: the capped runs also get `--max-semi-space-size=N` (MB), a smaller young generation. */
const SEMI = arg("semi", 0);
const TOGETHER = process.argv.includes("--together");
const RERUN = process.argv.includes("--rerun");
/** `--store URL`: a PostgreSQL store; each run is then one worker of a shared run of its own. */
const STORE = process.argv.includes("--store") ? process.argv[process.argv.indexOf("--store") + 1] : undefined;
const storeFlags = (name) =>
  STORE ? ["--store", STORE, "--run", `bench-${name.replace(/^rerun-/, "")}-${process.pid}`] : [];
const EMU_ARGS = ["--rtf", "0", "--min-stage-ms", "20", "-q"];
const tmp = join(here, ".tmp", `bulk-memory-${process.pid}`);

/** A preload that measures the CLI from inside and writes the numbers as JSON at exit. */
const PRELOAD = `
const { PerformanceObserver } = require("node:perf_hooks");
let peakHeap = 0, peakAfterMajor = 0, gcMs = 0, majors = 0;
const sample = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
setInterval(sample, 100).unref();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    if (e.detail && e.detail.kind === 4) {
      majors++;
      peakAfterMajor = Math.max(peakAfterMajor, process.memoryUsage().heapUsed);
    }
  }
}).observe({ entryTypes: ["gc"] });
process.on("exit", () => {
  sample();
  const cpu = process.cpuUsage();
  require("node:fs").writeFileSync(process.env.BENCH_STATS, JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000, gcMs, majors, peakHeap, peakAfterMajor,
    rss: process.resourceUsage().maxRSS * 1024,
  }));
});
`;

/** N distinct WAVs of 0.05 s (8 kHz) in folders of 1,000 and a CSV manifest of their paths. */
function writeManifest(root, n) {
  const rows = ["path"];
  for (let i = 0; i < n; i++) {
    const rel = `d${Math.floor(i / 1000)}/r${String(i).padStart(6, "0")}.wav`;
    if (i % 1000 === 0) mkdirSync(join(root, dirname(rel)), { recursive: true });
    writeFileSync(join(root, rel), createSampleWav({ seconds: 0.05, sampleRate: 8000, seed: i + 1 }));
    rows.push(rel);
  }
  const manifest = join(root, "manifest.csv");
  writeFileSync(manifest, `${rows.join("\n")}\n`);
  return manifest;
}

async function runCli(name, nodeArgs, manifest, flags, { out = join(tmp, `out-${name}`), keep = false } = {}) {
  const emu = await startEmulator(KEY, EMU_ARGS);
  const stats = join(tmp, `stats-${name}.json`);
  const preload = join(tmp, "preload.cjs");
  try {
    const started = performance.now();
    const code = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          ...[...nodeArgs, "-r", preload, CLI, "bulk", "--manifest", manifest, "--out", out, "--json"],
          ...[...flags, ...storeFlags(name)],
        ],
        {
          env: {
            PATH: process.env.PATH ?? "",
            SLNG_BASE_URL: emu.url,
            SLNG_API_KEY: KEY,
            BENCH_STATS: stats,
          },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      child.on("close", resolve);
    });
    const ms = performance.now() - started;
    const report = JSON.parse(readFileSync(join(out, "bulk-report.json"), "utf8"));
    return { name, code, ms, done: report.counts.done, ...JSON.parse(readFileSync(stats, "utf8")) };
  } finally {
    emu.child.kill("SIGTERM");
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
}

const mib = (b) => (b / 2 ** 20).toFixed(0);
const s = (ms) => (ms / 1000).toFixed(1);

rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
writeFileSync(join(tmp, "preload.cjs"), PRELOAD);
try {
  const manifest = writeManifest(join(tmp, "in"), N);
  const flags = ["--concurrency", String(CONCURRENCY)];
  const runUncapped = () => runCli("uncapped", [], manifest, flags);
  const cappedOut = join(tmp, "out-capped");
  const capArgs = [`--max-old-space-size=${CAP}`, ...(SEMI ? [`--max-semi-space-size=${SEMI}`] : [])];
  const runCapped = () => runCli(`capped-${CAP}`, capArgs, manifest, flags, { out: cappedOut, keep: RERUN });
  const [uncapped, capped] = TOGETHER
    ? await Promise.all([runUncapped(), runCapped()])
    : [await runUncapped(), await runCapped()];
  console.error(JSON.stringify(uncapped));
  console.error(JSON.stringify(capped));
  const rerun = RERUN ? await runCli(`rerun-capped-${CAP}`, capArgs, manifest, flags, { out: cappedOut }) : undefined;
  if (rerun) console.error(JSON.stringify(rerun));
  const ratio = capped.cpuMs / uncapped.cpuMs;
  const lines = [
    `# \`slng-batch bulk\`${STORE ? " in a shared run" : ""} — memory as the input count grows`,
    "",
    `Measured ${new Date().toISOString()} on this machine (2 cores shared with other work, so wall times are noisy): the built CLI (\`bulk --manifest … --json --concurrency ${CONCURRENCY}${STORE ? " --store postgres://… --run …" : ""}\`${STORE ? ", one worker of a shared run in a local PostgreSQL, a run of its own for each line" : ""}) on a CSV manifest of ${N} distinct WAVs of 0.05 s; the built emulator as a child process, fresh for each run (\`${EMU_ARGS.join(" ")}\`)${TOGETHER ? "; the two runs at the same time" : "; one run after the other"}. CPU is the CLI process's user + system time; "live heap" is the largest heap left right after a full (mark-compact) GC, i.e. what the run keeps alive.`,
    "",
    "| run | exit | done | wall (s) | CPU (s) | GC (s) | full GCs | peak heap used (MiB) | live heap after full GC (MiB) | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...[uncapped, capped, ...(rerun ? [rerun] : [])].map(
      (r) =>
        `| ${r.name === "uncapped" ? "uncapped" : `${r.name.startsWith("rerun") ? "rerun of the capped run's folder, " : ""}\`${capArgs.join(" ")}\``} | ${r.code} | ${r.done} | ${s(r.ms)} | ${s(r.cpuMs)} | ${s(r.gcMs)} | ${r.majors} | ${mib(r.peakHeap)} | ${mib(r.peakAfterMajor)} | ${mib(r.rss)} |`,
    ),
    "",
    `- Capped CPU / uncapped CPU: ${ratio.toFixed(2)} (goal ≤ 1.5); ${((uncapped.cpuMs / N) * 1000).toFixed(0)} µs of CPU per recording uncapped.`,
  ];
  writeResults(STORE ? "bulk-memory-shared" : "bulk-memory", lines);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
