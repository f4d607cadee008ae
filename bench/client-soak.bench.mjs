#!/usr/bin/env node
/**
 * Soak: 200 jobs, 16 at a time, through the built client (`@slng/client`, its `fetch` option
 * wrapping Node's fetch on loopback, so every request, uploads included, can be given a fault) against the built emulator with 40 % injected faults on API requests — every kind,
 * including `lost` (the request takes effect, its answer is lost) — and 40 % faults (lost, drop,
 * 500, 503) on storage requests (presigned PUTs, downloads). Half the jobs upload multipart, half
 * through the presigned flow; a third go through `transcribe()`. Counts completed, failed (the
 * caller got an error), duplicate jobs (two jobs for one logical input, by tracking.reference),
 * jobs the caller was never told about (neither acknowledged nor named by an error), and
 * unhandled rejections. Baseline: the same 200 jobs with no faults, in the same run. Bounded: each
 * run stops at 5 minutes. `--client <dist dir> --label <text>` also runs the fault run with another
 * client build (e.g. the previous release's `packages/client/dist`). Build first. Writes
 * bench/results/client-soak.md.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const { values: args } = parseArgs({ options: { client: { type: "string" }, label: { type: "string" } } });
const loadClient = (dir) => import(pathToFileURL(join(dir, "node.js")).href);
const current = await loadClient(join(root, "packages/client/dist"));
const other = args.client ? await loadClient(args.client) : undefined;
const { createEmulator, createSampleWav, FAULT_KINDS } = await import(
  pathToFileURL(join(root, "packages/emulator/dist/index.js")).href
);

const KEY = "soak-bench-key";
const JOBS = 200;
const CONCURRENCY = 16;
const RATE = 0.4;
const DEADLINE_MS = 5 * 60 * 1000;
const MAX_RETRIES = 6;
const wav = createSampleWav({ seconds: 2 });

/** Seeded PRNG (mulberry32), so a run's storage faults are reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(rate, { createSlngClient, SlngError } = current, label = "this client", maxRetries = MAX_RETRIES) {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  const injected = {};
  const emu = createEmulator({
    apiKeys: [KEY],
    rtf: 0.01,
    minStageMs: 0,
    ...(rate ? { faults: { rate, seed: 2026, kinds: [...FAULT_KINDS], latencyMs: 100, retryAfterSeconds: 1 } } : {}),
    logger: (line) => {
      const kind = / \(injected fault: (\w+)\)/.exec(line)?.[1];
      if (kind) injected[kind] = (injected[kind] ?? 0) + 1;
    },
  });
  const { url } = await emu.listen();
  const random = prng(99);
  const storageFaults = ["lost", "drop", "500", "503"];
  let requests = 0;
  const retries = { count: 0 };
  const slng = createSlngClient({
    apiKey: KEY,
    baseUrl: url,
    maxRetries,
    onRetry: () => retries.count++,
    fetch: (r) => {
      requests++;
      if (rate && new URL(r.url).pathname.startsWith("/storage/") && random() < rate)
        r.headers.set("x-slng-emulator-fault", storageFaults[Math.floor(random() * storageFaults.length)]);
      return fetch(r);
    },
  });
  const told = new Set();
  const failed = [];
  let done = 0;
  let next = 0;
  const signal = AbortSignal.timeout(DEADLINE_MS);
  const one = async (i) => {
    const input = {
      file: wav,
      filename: `soak${i}.wav`,
      upload: i % 2 ? "presign" : "multipart",
      tracking: { reference: `soak-${i}` },
      signal,
    };
    const wait = { minIntervalMs: 50, maxIntervalMs: 500, signal };
    if (i % 3 === 0) {
      told.add((await slng.transcribe(input, wait)).job.job_id);
      return;
    }
    const { job_id } = await slng.jobs.create(input);
    told.add(job_id);
    await slng.jobs.wait(job_id, wait);
    await slng.jobs.download(job_id, "txt", { signal });
  };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < JOBS; i = next++)
        await one(i).then(
          () => done++,
          (e) => {
            if (e instanceof SlngError && e.jobId) told.add(e.jobId);
            failed.push(
              `${e?.name}: ${e?.message}${e?.request ? ` (${e.request})` : ""}${e?.jobId ? `, jobId ${e.jobId}` : ""}`,
            );
          },
        );
    }),
  );
  const ms = Date.now() - started;
  const clean = createSlngClient({
    apiKey: KEY,
    baseUrl: url,
    fetch: (r) => {
      r.headers.set("x-slng-emulator-fault", "latency:0");
      return fetch(r);
    },
  });
  const refs = new Map();
  const untold = [];
  let listed = 0;
  for await (const job of clean.jobs.list({ pageSize: 100 })) {
    listed++;
    if (!told.has(job.job_id)) untold.push(job.job_id);
    const ref = (await clean.jobs.get(job.job_id)).job_config?.tracking?.reference;
    refs.set(ref, (refs.get(ref) ?? 0) + 1);
  }
  await new Promise((r) => setTimeout(r, 100));
  process.off("unhandledRejection", onUnhandled);
  await emu.close();
  const duplicates = [...refs.values()].filter((n) => n > 1).length;
  return {
    label,
    maxRetries,
    rate,
    ms,
    done,
    failed,
    duplicates,
    untold,
    listed,
    unhandled,
    injected,
    requests,
    retries: retries.count,
  };
}

const rows = [await run(0), await run(RATE), await run(RATE, current, "this client", 3)];
if (other) rows.push(await run(RATE, other, args.label ?? "compared client"));
const faults = rows[1];
const kinds = Object.entries(faults.injected)
  .map(([k, n]) => `${k} ${n}`)
  .join(", ");
const lines = [
  "# client-soak: 200 jobs through 40 % injected faults, lost answers included",
  "",
  `Run: ${new Date().toISOString()} · Node ${process.version} · ${availableParallelism()} CPUs`,
  "",
  `${JOBS} jobs, ${CONCURRENCY} at a time, from the built \`@slng/client\` (maxRetries ${MAX_RETRIES}, and the default 3; every request, uploads included,`,
  "through a `fetch` wrapping Node's fetch, which also forces the storage faults)",
  "to the built emulator listening on 127.0.0.1 (rtf 0.01). Faults: the emulator's seeded random faults on",
  `${RATE * 100} % of API requests, drawn from every kind (500, 503 and 429 with Retry-After 1 s, drop, latency 100 ms,`,
  `and lost: applied, then the connection dropped), plus ${RATE * 100} % of storage requests (presigned PUTs,`,
  "downloads) forced to lost, drop, 500 or 503 by header. Half the jobs upload multipart, half presigned; every",
  "third goes through `transcribe()`, the others through create → wait → download. A duplicate is two jobs",
  "with the same tracking.reference; an untold job is one on the server that the caller neither got",
  "acknowledged nor saw named (`err.jobId`) by an error. Baseline: the same jobs without faults, same run.",
  "",
  "| run | completed | failed (caller told) | duplicate jobs | untold jobs | unhandled rejections | jobs on server | requests | retries | time s |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.label}, ${r.rate ? `${r.rate * 100} % faults` : "baseline, no faults"}, maxRetries ${r.maxRetries} | ${r.done} | ${r.failed.length} | ${r.duplicates} | ${r.untold.length} | ${r.unhandled.length} | ${r.listed} | ${r.requests} | ${r.retries} | ${(r.ms / 1000).toFixed(1)} |`,
  ),
  "",
  `Injected by the emulator on API requests: ${kinds || "none"}. Time with faults: ${(faults.ms / rows[0].ms).toFixed(1)}× the baseline.`,
  "",
  ...rows
    .filter((r) => r.failed.length)
    .flatMap((r) => [`Failures the caller was told about (${r.label}):`, "", ...r.failed.map((f) => `- ${f}`), ""]),
];
writeFileSync(join(here, "results", "client-soak.md"), lines.join("\n"));
console.log(lines.join("\n"));
const ok = rows.every((r) => r.duplicates === 0 && r.untold.length === 0 && r.unhandled.length === 0);
process.exitCode = ok ? 0 : 1;
