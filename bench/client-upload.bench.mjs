#!/usr/bin/env node
/**
 * 1 GB upload through @slng/client against the emulator over HTTP (a separate process), side
 * by side with curl uploading the same file to a presigned URL of the same emulator.
 * Measures each uploader's peak RSS (its own process) and throughput.
 * Run after `pnpm build`: node bench/client-upload.bench.mjs [sizeMB]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { curlPresignedUpload } from "./lib/curl-upload.mjs";
import { startEmulator } from "./lib/emulator-process.mjs";
import { wavHeader } from "./lib/wav.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const tmp = join(here, ".tmp");
const KEY = "benchUploadKey";
const sizeMB = Number(process.argv[2] ?? 1000);
const ROUNDS = 3;
const size = sizeMB * 1_000_000;
mkdirSync(tmp, { recursive: true });
const file = join(tmp, "upload-1gb.wav");

async function makeFile() {
  try {
    if (statSync(file).size === size) return;
  } catch {}
  const out = createWriteStream(file);
  out.write(wavHeader(size - 44));
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i += 2) chunk.writeInt16LE(Math.round(Math.sin(i / 20) * 3000), i);
  let left = size - 44;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    if (!out.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await new Promise((r) => out.once("drain", r));
    left -= n;
  }
  await new Promise((r) => out.end(r));
}

const clientScript = join(tmp, "upload-client.mjs");
writeFileSync(
  clientScript,
  `import { createSlngClient } from ${JSON.stringify(join(root, "packages/client/dist/node.js"))};
const [url, file, upload, transport] = process.argv.slice(2);
const slng = createSlngClient({ apiKey: ${JSON.stringify(KEY)}, baseUrl: url, timeoutMs: 120000,
  ...(transport === "fetch" ? { uploadTransport: "fetch", fetch: globalThis.fetch } : {}) });
let events = 0;
const t0 = performance.now();
const ack = await slng.jobs.create({ file, upload, onUploadProgress: () => events++ });
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, maxRssKB: process.resourceUsage().maxRSS, events, jobId: ack.job_id }));
`,
);

function runClient(url, upload, transport) {
  const r = spawnSync(process.execPath, [clientScript, url, file, upload, transport], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`client ${upload}/${transport} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

await makeFile();
const { child, url } = await startEmulator(KEY, ["--rtf", "0.0001", "--min-stage-ms", "0"]);
const rows = [];
try {
  const mbps = (ms) => size / 1e6 / (ms / 1000);
  const uploaders = [
    ["curl -T (presigned PUT only)", () => curlPresignedUpload(url, KEY, file)],
    ["@slng/client presign (node:http): presign + PUT + create", () => runClient(url, "presign", "node-http")],
    ["@slng/client multipart (node:http)", () => runClient(url, "multipart", "node-http")],
  ];
  if (!process.argv.includes("--no-fetch"))
    uploaders.push([
      "@slng/client presign through Node 20 fetch (uploadTransport: fetch)",
      () => runClient(url, "presign", "fetch"),
    ]);
  // Interleaved rounds (the machine is shared); each row reports its median round.
  const results = uploaders.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [, run]] of uploaders.entries()) results[i].push(await run());
  for (const [i, [name]] of uploaders.entries()) {
    const sorted = results[i].sort((a, b) => a.ms - b.ms);
    const r = sorted[Math.floor(sorted.length / 2)];
    const rss = Math.max(...results[i].map((x) => x.maxRssKB));
    rows.push({ name, rssMB: rss / 1024, s: r.ms / 1000, mbps: mbps(r.ms), events: r.events });
  }
} finally {
  child.kill();
}

const curl = rows[0];
const lines = [
  `# @slng/client — ${sizeMB} MB upload: peak RSS and throughput vs curl`,
  "",
  `Measured ${new Date().toISOString()} on Node ${process.version}, ${process.platform}/${process.arch}; emulator in its own process over HTTP on 127.0.0.1; file ${size} bytes.`,
  `Peak RSS is the uploader's own process (curl via /usr/bin/time, Node via process.resourceUsage().maxRSS), the highest of ${ROUNDS} interleaved rounds; time is the median round. The machine (2 cores) is shared, so times vary between runs.`,
  "",
  "| uploader | peak RSS (MB) | time (s) | MB/s | RSS vs curl | throughput vs curl |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.rssMB.toFixed(0)} | ${r.s.toFixed(2)} | ${r.mbps.toFixed(0)} | ${(r.rssMB / curl.rssMB).toFixed(1)}× | ${(r.mbps / curl.mbps).toFixed(2)}× |`,
  ),
  "",
  `Goal: peak RSS < 150 MB for 1 GB through node:http — ${rows[1].rssMB < 150 && rows[2].rssMB < 150 ? "met" : "NOT met"}.`,
  "The client rows include the presign/create API calls; curl only does the PUT.",
  "",
];
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "client-upload.md"), lines.join("\n"));
console.log(lines.join("\n"));
if (!process.argv.includes("--keep")) rmSync(file, { force: true });
