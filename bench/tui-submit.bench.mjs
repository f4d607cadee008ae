#!/usr/bin/env node
/**
 * `slng-batch submit` of a 1 GB WAV against the emulator over HTTP (its own process), side by
 * side with curl uploading the same file to a presigned URL of the same emulator in the same
 * run. Measures the uploader's peak RSS (its own process, via /usr/bin/time), throughput, and
 * how often the progress display updates: `--json` events in a pipe and Ink frames in a pty.
 * The file is sparse (a WAV header, then a hole), created under bench/.tmp/ and removed after.
 * Run after `pnpm build`: node bench/tui-submit.bench.mjs [sizeMB]
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { curlPresignedUpload } from "./lib/curl-upload.mjs";
import { startEmulator } from "./lib/emulator-process.mjs";
import { writeResults } from "./lib/results.mjs";
import { cli, spawnPty } from "./lib/tui-watch-setup.mjs";
import { wavHeader } from "./lib/wav.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, ".tmp");
const KEY = "benchSubmitKey";
const sizeMB = Number(process.argv[2] ?? 1000);
const ROUNDS = 3;
const size = sizeMB * 1_000_000;
mkdirSync(tmp, { recursive: true });
const file = join(tmp, "submit-1gb.wav");
const rssFile = join(tmp, "submit-rss.txt");

function makeSparseFile() {
  const fd = openSync(file, "w");
  writeSync(fd, wavHeader(size - 44));
  closeSync(fd);
  spawnSync("truncate", ["-s", String(size), file]);
}

const env = (url) => {
  const e = { ...process.env, SLNG_BASE_URL: url, SLNG_API_KEY: KEY, TERM: "xterm-256color" };
  delete e.CI;
  delete e.NO_COLOR;
  return e;
};

/** Seconds between the first and last of `times` (ms), and how many updates per second that is. */
function rate(times) {
  if (times.length < 2) return { perSecond: 0, spanS: 0 };
  const spanS = (times.at(-1) - times[0]) / 1000;
  return { perSecond: spanS > 0 ? (times.length - 1) / spanS : 0, spanS };
}

/** `slng-batch submit --json` in a pipe: RSS, wall time, and `upload_progress` events per second while uploading (arrival times). */
function runJson(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, cli, "submit", file, "--json"], {
      env: env(url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    let stderr = "";
    const events = [];
    child.stdout.on("data", (d) => {
      buffered += d;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        events.push({ at: performance.now(), ...JSON.parse(buffered.slice(0, nl)) });
        buffered = buffered.slice(nl + 1);
      }
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`submit --json exited ${code}: ${stderr}`));
      const progress = events.filter((e) => e.type === "upload_progress");
      const wrong = progress.filter((e) => e.total !== size);
      if (wrong.length) return reject(new Error(`progress totals are not the file size: ${JSON.stringify(wrong[0])}`));
      const uploading = progress.filter((e) => e.phase === "upload");
      const end = progress.find((e) => e.phase === "create")?.at ?? uploading.at(-1)?.at;
      const spanS = (end - uploading[0].at) / 1000;
      resolve({
        ms,
        maxRssKB: Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)),
        updates: uploading.length,
        perSecond: spanS > 0 ? uploading.length / spanS : 0,
      });
    });
  });
}

/** `slng-batch submit` in an 80×24 pty: RSS, wall time, and progress frames per second while uploading. */
function runPty(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const pty = spawnPty("/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, cli, "submit", file], {
      name: "xterm-256color",
      cols: 80,
      rows: 24,
      env: env(url),
    });
    const frames = [];
    let out = "";
    pty.onData((d) => {
      out += d;
      if (/\d+% /.test(d) && d.includes("uploading")) frames.push(performance.now());
    });
    pty.onExit(({ exitCode }) => {
      const ms = performance.now() - t0;
      if (exitCode !== 0) return reject(new Error(`submit in a pty exited ${exitCode}: ${out.slice(-500)}`));
      const { perSecond } = rate(frames);
      resolve({
        ms,
        maxRssKB: Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)),
        updates: frames.length,
        perSecond,
      });
    });
  });
}

function stopped(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

makeSparseFile();
const { child, url } = await startEmulator(KEY, ["--rtf", "0.0001", "--min-stage-ms", "0", "--quiet"]);
const rows = [];
try {
  const uploaders = [
    ["curl -T (presigned PUT only)", () => curlPresignedUpload(url, KEY, file)],
    ["slng-batch submit --json (pipe): presign + PUT + create", () => runJson(url)],
    ["slng-batch submit (80×24 pty, Ink bar): presign + PUT + create", () => runPty(url)],
  ];
  const results = uploaders.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [, run]] of uploaders.entries()) results[i].push(await run());
  for (const [i, [name]] of uploaders.entries()) {
    const sorted = [...results[i]].sort((a, b) => a.ms - b.ms);
    const r = sorted[Math.floor(sorted.length / 2)];
    const rss = Math.max(...results[i].map((x) => x.maxRssKB));
    const perSecond = r.perSecond === undefined ? undefined : Math.min(...results[i].map((x) => x.perSecond));
    rows.push({ name, rssMB: rss / 1024, s: r.ms / 1000, mbps: size / 1e6 / (r.ms / 1000), perSecond });
  }
} finally {
  await stopped(child);
  rmSync(file, { force: true });
  rmSync(rssFile, { force: true });
}

const curl = rows[0];
const cliRows = rows.slice(1);
const lines = [
  `# slng-batch submit — ${sizeMB} MB upload: peak RSS, throughput and progress updates vs curl`,
  "",
  `Measured ${new Date().toISOString()} on Node ${process.version}, ${process.platform}/${process.arch}; emulator in its own process over HTTP on 127.0.0.1; sparse WAV of ${size} bytes (header + hole, read from the page cache).`,
  `Peak RSS is the uploader's own process (/usr/bin/time), the highest of ${ROUNDS} interleaved rounds; time is the median round, from spawn to exit (Node start-up and the presign and create calls included for slng-batch; curl only does the PUT). Updates/s is the lowest of the rounds: \`upload_progress\` events while uploading (--json), or frames showing the bar (pty). The machine (2 cores) is shared, so times vary between runs.`,
  "",
  "| uploader | peak RSS (MB) | time (s) | MB/s | progress updates/s | RSS vs curl | throughput vs curl |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.rssMB.toFixed(0)} | ${r.s.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.perSecond === undefined ? "—" : r.perSecond.toFixed(1)} | ${(r.rssMB / curl.rssMB).toFixed(1)}× | ${(r.mbps / curl.mbps).toFixed(2)}× |`,
  ),
  "",
  `Goals: peak RSS ≤ 150 MB for ${sizeMB} MB — ${cliRows.every((r) => r.rssMB <= 150) ? "met" : "NOT met"}; at least one progress update a second — ${cliRows.every((r) => r.perSecond >= 1) ? "met" : "NOT met"}. Every \`upload_progress\` event's total was the file's size (checked).`,
  "",
];
writeResults("tui-submit", lines);
