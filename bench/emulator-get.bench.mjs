#!/usr/bin/env node
/**
 * `GET /v1/batch/jobs/{id}` throughput and p50/p99 latency on loopback, with the load generated
 * from a second process (a node:http keep-alive load generator), against a baseline: a bare
 * node:http server answering the same JSON. Build first (`pnpm build`). Writes
 * bench/results/emulator-get.md.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const bin = join(root, "packages/emulator/dist/bin.js");
const emulatorIndex = join(root, "packages/emulator/dist/index.js");
const KEY = "bench-key";
const CONNECTIONS = 32;
const WARMUP_MS = 1500;
const DURATION_MS = 6000;

const LOADGEN = `
const http = require("node:http");
const [url, key, connections, warmup, duration] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const latencies = [];
let errors = 0;
let measuring = false;
let stop = false;
function one() {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const req = http.get(url, { agent, headers: { authorization: "Bearer " + key } }, (res) => {
      res.resume();
      res.on("end", () => {
        if (measuring) {
          if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          else errors++;
        }
        resolve();
      });
    });
    req.on("error", () => { errors++; resolve(); });
  });
}
async function worker() { while (!stop) await one(); }
const workers = Array.from({ length: Number(connections) }, worker);
setTimeout(() => { measuring = true; }, Number(warmup));
setTimeout(async () => {
  stop = true; measuring = false;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  process.stdout.write(JSON.stringify({ count: latencies.length, errors, rps: latencies.length / (Number(duration) / 1000), p50: q(0.5), p99: q(0.99), max: latencies.at(-1) }));
  agent.destroy();
}, Number(warmup) + Number(duration));
`;

const BARE = `
const http = require("node:http");
const body = process.argv[1];
const server = http.createServer((req, res) => {
  if (req.headers.authorization !== "Bearer ${KEY}") { res.writeHead(403, { "content-type": "application/json" }); res.end('{"error":"API key id not found"}'); return; }
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => process.stdout.write("listening on http://127.0.0.1:" + server.address().port + "\\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
}

function load(url) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-e", LOADGEN, url, KEY, String(CONNECTIONS), String(WARMUP_MS), String(DURATION_MS)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator failed (${code})`)),
    );
  });
}

async function stopServer(child) {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

async function emulatorRun(extraArgs, createSampleWav) {
  // Logging variant: the emulator writes one line per request to stdout, which this script drains (a pipe).
  const emu = await startServer([
    bin,
    "--port",
    "0",
    "--api-key",
    KEY,
    "--rtf",
    "0",
    "--min-stage-ms",
    "0",
    ...extraArgs,
  ]);
  try {
    const form = new FormData();
    form.set("file", new Blob([createSampleWav({ seconds: 30 })]), "bench.wav");
    form.set("transcription_config", JSON.stringify({ language: "en", diarization: "speaker" }));
    form.set("tracking", JSON.stringify({ title: "bench", reference: "ref-1", tags: ["a", "b"] }));
    const created = await fetch(`${emu.url}/v1/batch/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    const { job_id } = await created.json();
    const job = await (
      await fetch(`${emu.url}/v1/batch/jobs/${job_id}`, { headers: { authorization: `Bearer ${KEY}` } })
    ).text();
    return { job, result: await load(`${emu.url}/v1/batch/jobs/${job_id}`) };
  } finally {
    await stopServer(emu.child);
  }
}

async function main() {
  const { createSampleWav } = await import(emulatorIndex);
  const quiet = await emulatorRun(["--quiet"], createSampleWav);
  const logging = await emulatorRun([], createSampleWav);
  const job = quiet.job;
  const bare = await startServer(["-e", BARE, job]);
  let bareResult;
  try {
    bareResult = await load(`${bare.url}/v1/batch/jobs/x`);
  } finally {
    await stopServer(bare.child);
  }
  const f = (n) => n.toFixed(2);
  const row = (name, r) =>
    `| ${name} | ${Math.round(r.rps)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} | ${r.count} | ${r.errors} |`;
  const report = `# emulator-get: GET /v1/batch/jobs/{id} on loopback

Run: ${new Date().toISOString()} · Node ${process.version} · ${availableParallelism()} CPUs

Load from a second process: ${CONNECTIONS} keep-alive connections (node:http), ${WARMUP_MS} ms warm-up, then
${DURATION_MS} ms measured. The emulator (\`dist/bin.js\`) answers with the full \`BatchJob\`
(${Buffer.byteLength(job)} bytes), derived from the clock on every read; it runs once with \`--quiet\` and once
logging one line per request to a pipe. Baseline: a bare node:http server answering the same JSON
bytes after the same Authorization check. Server and load generator share this machine's CPUs
(and the machine is shared with other work), so compare rows of the same run.

| server | requests/s | p50 ms | p99 ms | max ms | requests | errors |
| --- | --- | --- | --- | --- | --- | --- |
${row("emulator, --quiet (Hono + @hono/node-server)", quiet.result)}
${row("emulator, logging each request", logging.result)}
${row("baseline: bare node:http, same JSON", bareResult)}

Emulator throughput (quiet) is ${((quiet.result.rps / bareResult.rps) * 100).toFixed(0)} % of the bare server's.
`;
  writeFileSync(join(here, "results/emulator-get.md"), report);
  console.log(report);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
