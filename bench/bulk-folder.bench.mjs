#!/usr/bin/env node
/**
 * `slng-batch bulk` on a folder of short recordings against the built emulator (a child process
 * per strategy, same settings): wall time, API requests per recording (counted from the
 * emulator's own request log, storage downloads included) and the CLI's peak RSS, against
 *   1. a sequential `transcribe()` loop (measured on a sample, per recording, then scaled);
 *   2. the same concurrency with one GET per job in flight per poll (fixed 1 s polling).
 * Then a 10,000-input run of the CLI for its peak RSS.
 * Run after `pnpm build`: node bench/bulk-folder.bench.mjs [--n 1000] [--sample 20] [--no-ten-k]
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createSlngClient } from "../packages/client/dist/node.js";
import { createSampleWav } from "../packages/emulator/dist/index.js";
import { writeResults } from "./lib/results.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, "../apps/tui/dist/cli.js");
const EMULATOR = join(here, "../packages/emulator/dist/bin.js");
const KEY = "benchBulkKey";
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("n", 1000);
const SAMPLE = Math.min(N, arg("sample", 20));
const TEN_K = !process.argv.includes("--no-ten-k");
const CONCURRENCY = 8;
/** Each job takes ~5 s of processing (4 stages of 1.2 s + 0.05 s of audio time): several polls per job. */
const EMU_ARGS = ["--rtf", "0.1", "--min-stage-ms", "1200"];
const tmp = join(here, ".tmp", `bulk-${process.pid}`);

/** Starts the emulator with request logging; `requests()` counts API and storage lines so far. */
function startEmulator(args = EMU_ARGS) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EMULATOR, "--port", "0", "--api-key", KEY, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let log = "";
    child.stdout.on("data", (d) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m && !child.url) {
        child.url = m[1];
        resolve({
          url: m[1],
          requests: () => ({
            api: (log.match(/^\w+ \/v1\/\S* -> /gm) ?? []).length,
            storage: (log.match(/^\w+ \/storage\/\S* -> /gm) ?? []).length,
            gets: (log.match(/^GET \/v1\/batch\/jobs\/[A-Za-z0-9]+ -> /gm) ?? []).length,
            lists: (log.match(/^GET \/v1\/batch\/jobs\?\S* -> /gm) ?? []).length,
          }),
          stop: () => child.kill("SIGTERM"),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

function writeFolder(root, n, seconds) {
  const files = [];
  for (let i = 0; i < n; i++) {
    const rel = `batch${i % 10}/day${Math.floor(i / 10) % 10}/rec${String(i).padStart(5, "0")}.wav`;
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), createSampleWav({ seconds, sampleRate: 8000, seed: i + 1 }));
    files.push(join(root, rel));
  }
  return files;
}

/** The built CLI, with a preload that writes its peak RSS (bytes) to `rssFile` at exit. */
function runCli(args, url, rssFile) {
  const preload = join(tmp, "maxrss.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));`,
  );
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-r", preload, CLI, "bulk", ...args], {
      env: { PATH: process.env.PATH ?? "", SLNG_BASE_URL: url, SLNG_API_KEY: KEY },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("close", (code) =>
      resolve({ code, ms: performance.now() - started, rss: Number(readFileSync(rssFile, "utf8")) }),
    );
  });
}

async function sequential(files, url, out) {
  const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
  const started = performance.now();
  for (const file of files) {
    const { transcript } = await slng.transcribe({ file, config: { language: "en" } });
    const target = join(out, relative(join(tmp, "in"), file).replace(/\.wav$/, ".txt"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transcript);
  }
  return performance.now() - started;
}

/** Same concurrency for creates; every second, one GET per job in flight; files + GET when DONE. */
async function getPerJob(files, url, out) {
  const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
  const started = performance.now();
  const inflight = new Map();
  const downloads = [];
  let next = 0;
  let creating = 0;
  const creator = async () => {
    while (next < files.length) {
      const file = files[next++];
      creating++;
      const { job_id } = await slng.jobs.create({ file, config: { language: "en" } });
      creating--;
      inflight.set(job_id, file);
    }
  };
  const creators = Promise.all(Array.from({ length: CONCURRENCY }, creator));
  while (next < files.length || creating > 0 || inflight.size > 0) {
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.all(
      [...inflight].map(async ([id, file]) => {
        const job = await slng.jobs.get(id);
        if (job.status !== "DONE") return;
        inflight.delete(id);
        downloads.push(
          slng.jobs.download(id, "txt").then((text) => {
            const target = join(out, relative(join(tmp, "in"), file).replace(/\.wav$/, ".txt"));
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, text);
          }),
        );
      }),
    );
  }
  await creators;
  await Promise.all(downloads);
  return performance.now() - started;
}

const perRec = (r, n) => ((r.api + r.storage) / n).toFixed(2);
const mib = (b) => (b / 2 ** 20).toFixed(0);

rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const files = writeFolder(join(tmp, "in"), N, 0.5);
const rows = [];
try {
  {
    const emu = await startEmulator();
    const ms = await sequential(files.slice(0, SAMPLE), emu.url, join(tmp, "out-seq"));
    const r = emu.requests();
    rows.push({
      name: `sequential transcribe() loop (${SAMPLE} measured, ×${N / SAMPLE})`,
      ms: (ms * N) / SAMPLE,
      r,
      n: SAMPLE,
    });
    emu.stop();
  }
  {
    const emu = await startEmulator();
    const ms = await getPerJob(files, emu.url, join(tmp, "out-get"));
    rows.push({ name: `concurrency ${CONCURRENCY}, one GET per job per 1 s poll`, ms, r: emu.requests(), n: N });
    emu.stop();
  }
  {
    const emu = await startEmulator();
    const run = await runCli(
      [join(tmp, "in"), "--out", join(tmp, "out-bulk"), "--json", "--concurrency", String(CONCURRENCY)],
      emu.url,
      join(tmp, "rss-bulk"),
    );
    if (run.code !== 0) throw new Error(`slng-batch bulk exited ${run.code}`);
    rows.push({
      name: `slng-batch bulk --concurrency ${CONCURRENCY}`,
      ms: run.ms,
      r: emu.requests(),
      n: N,
      rss: run.rss,
    });
    const again = await runCli(
      [join(tmp, "in"), "--out", join(tmp, "out-bulk"), "--json"],
      emu.url,
      join(tmp, "rss-2"),
    );
    const before = rows.at(-1).r;
    const after = emu.requests();
    rows.push({
      name: "slng-batch bulk, rerun (all saved)",
      ms: again.ms,
      r: {
        api: after.api - before.api,
        storage: after.storage - before.storage,
        gets: 0,
        lists: after.lists - before.lists,
      },
      n: N,
      rss: again.rss,
    });
    emu.stop();
  }
  let tenK;
  if (TEN_K) {
    const big = writeFolder(join(tmp, "in10k"), 10_000, 0.1).length;
    const emu = await startEmulator(["--rtf", "0", "--min-stage-ms", "20", "-q"]);
    const run = await runCli(
      [join(tmp, "in10k"), "--out", join(tmp, "out10k"), "--json", "--concurrency", "16"],
      emu.url,
      join(tmp, "rss-10k"),
    );
    tenK = { n: big, ...run };
    emu.stop();
  }

  const bulk = rows[2];
  const lines = [
    "# `slng-batch bulk` — a folder of short recordings",
    "",
    `Measured ${new Date().toISOString()} on this machine (2 shared cores): ${N} WAVs of 0.5 s (8 kHz) in a nested folder; the built emulator as a child process per strategy (\`${EMU_ARGS.join(" ")}\`, so each job takes ~5 s of processing); txt saved for every recording. Requests are counted from the emulator's request log (API + storage downloads, retries included).`,
    "",
    "| strategy | wall time (s) | API + storage requests per recording | GETs of one job | list pages | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (x) =>
        `| ${x.name} | ${(x.ms / 1000).toFixed(1)} | ${perRec(x.r, x.n)} | ${x.r.gets} | ${x.r.lists} | ${x.rss ? mib(x.rss) : "—"} |`,
    ),
    "",
    `- bulk vs the sequential loop: ${(rows[0].ms / bulk.ms).toFixed(1)}× faster; vs one GET per job per poll: ${(rows[1].ms / bulk.ms).toFixed(2)}× the speed with ${((rows[1].r.api + rows[1].r.storage) / N / ((bulk.r.api + bulk.r.storage) / N)).toFixed(1)}× fewer requests.`,
    `- bulk requests per recording: ${perRec(bulk.r, N)} (goal ≤ 4): one create, one files call, one download each, plus ${(bulk.r.lists / N).toFixed(2)} list pages per recording for polling.`,
    "- The sequential row is measured on the first recordings and scaled linearly (the loop's cost per recording is flat).",
  ];
  if (tenK)
    lines.push(
      `- Memory: ${tenK.n} inputs of 0.1 s through \`slng-batch bulk --concurrency 16\` (emulator \`--rtf 0 --min-stage-ms 20\`): exit ${tenK.code}, ${(tenK.ms / 1000).toFixed(0)} s, peak RSS ${mib(tenK.rss)} MiB.`,
    );
  writeResults("bulk-folder", lines);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
