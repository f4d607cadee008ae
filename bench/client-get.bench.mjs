#!/usr/bin/env node
/**
 * Overhead of `slng.jobs.get(id)` against a bare `fetch` + `res.json()` of the same URL,
 * side by side: (1) over a stub fetch that answers at once (isolates the client's own cost:
 * openapi-fetch, auth middleware, retry wrapper, per-attempt timeout, validation), and
 * (2) over HTTP against the emulator on 127.0.0.1 (what a caller sees).
 * Run after `pnpm build`: node bench/client-get.bench.mjs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSlngClient } from "../packages/client/dist/node.js";
import { createEmulator, createSampleWav } from "../packages/emulator/dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const KEY = "benchGetKey";
const body = JSON.stringify({
  job_id: "abc123",
  status: "DONE",
  model_code: "m",
  submitted_at: "2026-01-01T00:00:00Z",
});
const stub = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });

async function time(n, fn) {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

async function pair(label, n, bare, client) {
  const a = [];
  const b = [];
  for (let round = 0; round < 5; round++) {
    a.push(await time(n, bare));
    b.push(await time(n, client));
  }
  const med = (x) => x.sort((p, q) => p - q)[2];
  return { label, bare: med(a), client: med(b) };
}

const rows = [];
{
  const url = "http://emulator.test/v1/batch/jobs/abc123";
  const slng = createSlngClient({ apiKey: KEY, baseUrl: "http://emulator.test", fetch: stub });
  rows.push(
    await pair(
      "stub fetch (no network)",
      20_000,
      async () => (await stub(new Request(url, { headers: { Authorization: `Bearer ${KEY}` } }))).json(),
      () => slng.jobs.get("abc123"),
    ),
  );
}
{
  const emu = createEmulator({ apiKeys: [KEY], rtf: 0.001, minStageMs: 0 });
  const { url } = await emu.listen();
  const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
  const { job_id } = await slng.jobs.create({ file: createSampleWav({ seconds: 1 }), filename: "a.wav" });
  const jobUrl = `${url}/v1/batch/jobs/${job_id}`;
  rows.push(
    await pair(
      "HTTP to the emulator on 127.0.0.1",
      1_000,
      async () => (await fetch(jobUrl, { headers: { Authorization: `Bearer ${KEY}` } })).json(),
      () => slng.jobs.get(job_id),
    ),
  );
  await emu.close();
}

const lines = [
  "# @slng/client — `jobs.get` overhead vs a bare fetch",
  "",
  `Measured ${new Date().toISOString()} on Node ${process.version}; median of 5 interleaved rounds, µs per call, sequential calls.`,
  "",
  "| transport | bare fetch + json (µs) | slng.jobs.get (µs) | overhead (µs) | ratio |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.bare.toFixed(1)} | ${r.client.toFixed(1)} | ${(r.client - r.bare).toFixed(1)} | ${(r.client / r.bare).toFixed(2)}× |`,
  ),
  "",
  "The client's extra work per call: id validation, openapi-fetch URL/headers/middleware, one Request clone, the per-attempt timeout timer and abort race, and error mapping.",
  "",
];
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "client-get.md"), lines.join("\n"));
console.log(lines.join("\n"));
