#!/usr/bin/env node
/**
 * Shared bulk runs in PostgreSQL: 1, 2 and 4 `slng-batch bulk --store … --run …` workers (the
 * built CLI, one process each) on the same folder of short recordings and one run, against the
 * built emulator (`--rtf 0 --min-stage-ms 20`): wall time and API + storage requests per
 * recording (from the emulator's request log); then the straggler case (one 600 s recording,
 * 90 s of processing at `--rtf 0.15`, among the short ones; one worker): list pages per recording.
 * Busy-key case (`--busy-key 60000`, only that case runs): the emulator in this process, its key
 * filled through its in-process API with that many small uploads (timed apart, not counted), then
 * one worker on `--busy-n` (default 1,000) inputs: requests per recording of the run alone.
 * Run after `pnpm build`: node bench/bulk-shared.bench.mjs [--n 5000] [--workers 1,2,4 | 0]
 *   or: node bench/bulk-shared.bench.mjs --busy-key 60000 [--busy-n 1000]
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmulator, createSampleWav } from "../packages/emulator/dist/index.js";
import { startPostgres } from "./lib/pg-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, "../apps/tui/dist/cli.js");
const EMULATOR = join(here, "../packages/emulator/dist/bin.js");
const KEY = "benchSharedKey";
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(option("n", "5000"));
const WORKERS = option("workers", "1,2,4")
  .split(",")
  .map(Number)
  .filter((w) => w > 0);
const BUSY = Number(option("busy-key", "0"));
const BUSY_N = Number(option("busy-n", "1000"));
const tmp = join(here, ".tmp", `bulk-shared-${process.pid}`);

/** Counts one emulator request-log line: api, storage, list pages, single GETs, creates, deepest page. */
function countLine(counts, line) {
  if (/^\w+ \/v1\//.test(line)) counts.api++;
  if (/^\w+ \/storage\//.test(line)) counts.storage++;
  if (/^GET \/v1\/batch\/jobs\?/.test(line)) {
    counts.lists++;
    counts.maxPage = Math.max(counts.maxPage, Number(/[?&]page=(\d+)/.exec(line)?.[1] ?? 1));
  }
  if (/^GET \/v1\/batch\/jobs\/[A-Za-z0-9]+ /.test(line)) counts.gets++;
  if (/^POST \/v1\/batch\/jobs /.test(line)) counts.creates++;
}
const newCounts = () => ({ api: 0, storage: 0, lists: 0, gets: 0, creates: 0, maxPage: 0 });

/** The built emulator with its request log counted: api, storage, list pages, single GETs. */
function startEmulator(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EMULATOR, "--port", "0", "--api-key", KEY, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const counts = newCounts();
    let pending = "";
    let url;
    child.stdout.on("data", (d) => {
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m && !url) {
          url = m[1];
          resolve({ url, counts, stop: () => child.kill("SIGTERM") });
        }
        countLine(counts, line);
      }
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

function writeFolder(root, n, seconds, offset = 0) {
  for (let i = 0; i < n; i++) {
    const rel = `d${i % 10}/r${String(i).padStart(5, "0")}.wav`;
    mkdirSync(join(root, dirname(rel)), { recursive: true });
    writeFileSync(join(root, rel), createSampleWav({ seconds, sampleRate: 8000, seed: offset + i + 1 }));
  }
}

function worker(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "bulk", ...args, "--json"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("exit", (code) => resolve(code));
  });
}

async function shared(pg, workers, inDir, run, emuArgs) {
  const emu = await startEmulator(emuArgs);
  const out = join(tmp, `out-${run}`);
  const env = { PATH: process.env.PATH, SLNG_API_KEY: KEY, SLNG_BASE_URL: emu.url, SLNG_BULK_STORE: pg.url };
  const args = [inDir, "--out", out, "--run", run, "--concurrency", "8"];
  const t0 = performance.now();
  const codes = await Promise.all(Array.from({ length: workers }, () => worker(args, env)));
  const wall = (performance.now() - t0) / 1000;
  const counts = { ...emu.counts };
  emu.stop();
  return { codes, wall, counts };
}

/** Fills the in-process emulator's key with `count` small uploads (16 at a time); waits until all are DONE. */
async function fillKey(emulator, count) {
  const wav = createSampleWav({ seconds: 0.05, sampleRate: 8000, seed: 3 });
  const auth = { authorization: `Bearer ${KEY}` };
  let next = 0;
  const one = async () => {
    while (next < count) {
      next++;
      const form = new FormData();
      form.set("file", new Blob([wav], { type: "audio/wav" }), "fill.wav");
      form.set("transcription_config", JSON.stringify({ language: "en" }));
      const res = await emulator.fetch("http://emulator/v1/batch/jobs", { method: "POST", headers: auth, body: form });
      if (res.status !== 202) throw new Error(`fill create answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
  const open = "QUEUED,IN_PROGRESS,DECODING,POST_PROCESSING";
  for (;;) {
    const res = await emulator.fetch(`http://emulator/v1/batch/jobs?page_size=1&status=${open}`, { headers: auth });
    if ((await res.json()).meta.total === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One worker on `n` inputs against an emulator (in this process) whose key already holds `busy` recent jobs. */
async function busyKey(pg, busy, n) {
  const counts = newCounts();
  const emulator = createEmulator({ apiKeys: [KEY], rtf: 0, minStageMs: 20, logger: (l) => countLine(counts, l) });
  try {
    const t0 = performance.now();
    await fillKey(emulator, busy);
    const fill = (performance.now() - t0) / 1000;
    console.log(`filled the key with ${busy} jobs in ${fill.toFixed(1)} s (${counts.creates} creates)`);
    const { url } = await emulator.listen({ port: 0 });
    const inDir = join(tmp, "busy");
    writeFolder(inDir, n, 0.1, 200_000);
    const env = { PATH: process.env.PATH, SLNG_API_KEY: KEY, SLNG_BASE_URL: url, SLNG_BULK_STORE: pg.url };
    const before = { ...counts };
    const t1 = performance.now();
    const code = await worker([inDir, "--out", join(tmp, "out-busy"), "--run", "busy", "--concurrency", "8"], env);
    const wall = (performance.now() - t1) / 1000;
    const run = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, k === "maxPage" ? v : v - before[k]]));
    return {
      case: `busy key: ${busy} recent jobs, 1 worker (fill ${fill.toFixed(1)} s)`,
      n,
      codes: [code],
      wall,
      counts: run,
    };
  } finally {
    await emulator.close();
  }
}

const pg = await startPostgres();
const rows = [];
try {
  mkdirSync(tmp, { recursive: true });
  if (BUSY > 0) {
    rows.push(await busyKey(pg, BUSY, BUSY_N));
    console.log(rows.at(-1));
  } else {
    const inDir = join(tmp, "in");
    writeFolder(inDir, N, 0.1);
    for (const w of WORKERS) {
      const r = await shared(pg, w, inDir, `w${w}`, ["--rtf", "0", "--min-stage-ms", "20"]);
      rows.push({ case: `${w} worker${w > 1 ? "s" : ""}`, n: N, ...r });
      console.log(rows.at(-1));
    }
    const stragglerDir = join(tmp, "straggler");
    writeFolder(stragglerDir, N, 0.1, 100_000);
    writeFileSync(join(stragglerDir, "a-long.wav"), createSampleWav({ seconds: 600, sampleRate: 8000, seed: 7 }));
    const r = await shared(pg, 1, stragglerDir, "straggler", ["--rtf", "0.15", "--min-stage-ms", "20"]);
    rows.push({ case: "straggler: 1 × 600 s + short ones, 1 worker", n: N + 1, ...r });
    console.log(rows.at(-1));
  }
} finally {
  pg.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const per = (x, n) => (x / n).toFixed(3);
const table = rows
  .map(
    (r) =>
      `| ${r.case} | ${r.n} | ${r.codes.join(", ")} | ${r.wall.toFixed(1)} | ${per(r.counts.api + r.counts.storage, r.n)} | ${r.counts.creates} | ${per(r.counts.lists, r.n)} | ${r.counts.maxPage} | ${r.counts.gets} |`,
  )
  .join("\n");
const header = `| case | inputs | exit codes | wall time (s) | requests per recording | creates | list pages per recording | deepest list page | GETs of one job |
| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |`;
if (BUSY > 0) {
  console.log(`${header}\n${table}\n(busy-key mode prints its row; bench/results/bulk-shared.md is left as it is)`);
  process.exit(0);
}
const md = `# \`slng-batch bulk --store\` — one run shared by several workers

Measured ${new Date().toISOString()} on this machine (2 shared cores; PostgreSQL ${pg.version} from Debian on loopback): ${N} WAVs of 0.1 s (8 kHz, distinct bytes), the built emulator as a child process per case (\`--rtf 0 --min-stage-ms 20\`), the built CLI as each worker (\`--concurrency 8\`, txt), all workers started together on one \`--run\` and one \`--out\`. Requests are counted from the emulator's request log (API + storage downloads, retries included).

${header}
${table}

Goals (issue 16): ≤ 3.2 requests per recording at every worker count; straggler ≤ 0.07 list pages per recording.
Command: \`node ${relative(process.cwd(), fileURLToPath(import.meta.url))} --n ${N} --workers ${WORKERS.join(",")}\`.
`;
writeFileSync(join(here, "results", "bulk-shared.md"), md);
console.log(md);
