// One worker of a shared bulk run, for the multi-process tests: the built @slng/bulk, options in
// SLNG_TEST_WORKER (JSON), one JSON event per line on stdout, the CLI's exit codes.
import { collectInputs, runBulk } from "../dist/index.js";

const o = JSON.parse(process.env.SLNG_TEST_WORKER ?? "{}");
const { inputs } = await collectInputs(o.sources, undefined, o.out);
const run = runBulk({
  inputs,
  outDir: o.out,
  store: o.store,
  run: o.run,
  leaseMs: o.leaseMs,
  concurrency: o.concurrency ?? 4,
  pollIntervalMs: { min: o.pollMin ?? 20, max: o.pollMax ?? 200 },
  client: { apiKey: o.key, baseUrl: o.baseUrl, maxRetries: 3 },
});
for await (const e of run) process.stdout.write(`${JSON.stringify(e)}\n`);
const s = await run.done;
process.exitCode = s.fatal
  ? s.fatal.kind === "local"
    ? 2
    : 3
  : s.failed.length > 0 || s.counts.done !== s.total
    ? 1
    : 0;
