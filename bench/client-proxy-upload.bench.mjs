#!/usr/bin/env node
/**
 * A 1 GB upload through @slng/client with HTTP_PROXY pointing at a forward proxy on loopback
 * (its own process), to the emulator (its own process): the client's peak RSS, and what the
 * proxy saw. Run after `pnpm build`: node bench/client-proxy-upload.bench.mjs [sizeMB]
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "./lib/emulator-process.mjs";
import { wavHeader } from "./lib/wav.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, ".tmp");
const KEY = "benchProxyKey";
const sizeMB = Number(process.argv[2] ?? 1000);
const size = sizeMB * 1_000_000;
mkdirSync(tmp, { recursive: true });
const file = join(tmp, `proxy-upload-${sizeMB}.wav`);
const out = createWriteStream(file);
out.write(wavHeader(size - 44));
const chunk = Buffer.alloc(1 << 20, 1);
for (let left = size - 44; left > 0; left -= chunk.length)
  if (!out.write(chunk.subarray(0, Math.min(left, chunk.length)))) await new Promise((r) => out.once("drain", r));
await new Promise((r) => out.end(r));

const proxyScript = join(tmp, "forward-proxy.mjs");
const proxyLog = join(tmp, "forward-proxy.log");
writeFileSync(proxyLog, "");
writeFileSync(
  proxyScript,
  `import { appendFileSync } from "node:fs";
import { createServer, request } from "node:http";
const s = createServer((req, res) => {
  appendFileSync(${JSON.stringify(proxyLog)}, req.method + " " + req.url.replace(/\\?.*/, "") + "\\n");
  req.pipe(request(req.url, { method: req.method, headers: req.headers }, (a) => { res.writeHead(a.statusCode, a.headers); a.pipe(res); }));
}).listen(0, "127.0.0.1", () => console.log("proxy on http://127.0.0.1:" + s.address().port));`,
);
const proxy = spawn(process.execPath, [proxyScript], { stdio: ["ignore", "pipe", "pipe"] });
const proxyUrl = await new Promise((r) => proxy.stdout.on("data", (d) => r(/(http:\S+)/.exec(String(d))?.[1])));

const clientScript = join(tmp, "proxy-upload-client.mjs");
writeFileSync(
  clientScript,
  `import { createSlngClient } from ${JSON.stringify(join(here, "../packages/client/dist/node.js"))};
const [url, file, upload] = process.argv.slice(2);
const slng = createSlngClient({ apiKey: ${JSON.stringify(KEY)}, baseUrl: url, timeoutMs: 120000 });
const t0 = performance.now();
const ack = await slng.jobs.create({ file, upload });
console.log(JSON.stringify({ s: (performance.now() - t0) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, job: ack.job_id }));`,
);
const { child, url } = await startEmulator(KEY, ["--rtf", "0.0001", "--min-stage-ms", "0"]);
const rows = [];
try {
  for (const upload of ["presign", "multipart"]) {
    const env = { ...process.env, HTTP_PROXY: proxyUrl, NO_PROXY: "" };
    const r = spawnSync(process.execPath, [clientScript, url, file, upload], { encoding: "utf8", env });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push({ upload, ...JSON.parse(r.stdout.trim()) });
  }
} finally {
  child.kill();
  proxy.kill();
}
const lines = [
  `# @slng/client — ${sizeMB} MB upload through a forward proxy (HTTP_PROXY)`,
  "",
  `Measured ${new Date().toISOString()} on Node ${process.version}; proxy and emulator each in their own process on 127.0.0.1. One run each (shared 2-core machine).`,
  "",
  "| upload | client peak RSS (MB) | time (s) |",
  "| --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.upload} | ${r.maxRssMB.toFixed(0)} | ${r.s.toFixed(1)} |`),
  "",
  "What the proxy saw:",
  "",
  "```",
  readFileSync(proxyLog, "utf8").trim(),
  "```",
];
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results/client-proxy-upload.md"), `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
