#!/usr/bin/env node
/**
 * Browser bundle size of @slng/client (with openapi-fetch and the @slng/types constants it
 * uses), minified and gzipped: the three modular bundles (core + getJob; + create,
 * wait and download; the object client) against their goals, everything the package exports,
 * and openapi-fetch alone. All are bundled by esbuild for the browser, as an app would (the
 * "browser" export condition).
 * Run after `pnpm build`: node bench/client-bundle.bench.mjs
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { writeResults } from "./lib/results.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const client = join(here, "..", "packages", "client");

async function measure(contents) {
  const r = await build({
    stdin: { contents, resolveDir: client, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length, br: brotliCompressSync(code).length };
}

const only = (names) => `export { ${names} } from "@slng/client";`;
// The modular bundles: what an app pays for the functions it imports, and issue 17's budgets.
const modular = [
  ["createSlngCore + getJob", only("createSlngCore, getJob"), 6000],
  [
    "+ createJob + waitForJob + downloadTranscript",
    only("createSlngCore, getJob, createJob, waitForJob, downloadTranscript"),
    11000,
  ],
  ["createSlngClient (the object client)", only("createSlngClient"), 12000],
];
const measured = [];
for (const [name, contents, goal] of modular) measured.push([name, await measure(contents), goal]);
// What each function adds, imported one after another (min+gz deltas).
const steps = ["createSlngCore", "getJob", "createJob", "waitForJob", "downloadTranscript", "listJobs", "deleteJob"];
const marginal = [];
for (let i = 0, before = 0; i < steps.length; i++) {
  const { gz } = await measure(only(steps.slice(0, i + 1).join(", ")));
  marginal.push(
    `${i ? "+ " : ""}${steps[i]} ${i ? `+${((gz - before) / 1000).toFixed(2)}` : (gz / 1000).toFixed(2)} kB`,
  );
  before = gz;
}
const rows = [
  ["@slng/client (everything it exports) + openapi-fetch", await measure('export * from "@slng/client";')],
  ["openapi-fetch alone (createClient)", await measure('export { default } from "openapi-fetch";')],
];
const of = rows[1][1];
const ours = rows[0][1];
const kb = (n) => (n / 1000).toFixed(2);
const row = (name, s) => `| ${name} | ${kb(s.min)} | ${kb(s.gz)} | ${kb(s.br)} |`;
const lines = [
  "# @slng/client — browser bundle size",
  "",
  `Measured ${new Date().toISOString()} with esbuild (browser platform, minified, ES2022), gzip level 9 and brotli.`,
  "Each row bundles the named imports of the browser build with openapi-fetch and the @slng/types constants they use.",
  "",
  "| bundle | min (kB) | min+gz (kB) | min+br (kB) | issue 17 budget (min+gz) |",
  "| --- | ---: | ---: | ---: | --- |",
  ...measured.map(
    ([name, s, goal]) =>
      `${row(name, s)} ≤ ${kb(goal)} kB: ${s.gz <= goal ? "met" : `not met (+${kb(s.gz - goal)} kB)`} |`,
  ),
  ...rows.map(([name, s]) => `${row(name, s)} |`),
  "",
  `Everything the client exports adds ${kb(ours.gz - of.gz)} kB min+gz on top of openapi-fetch (${(ours.gz / of.gz).toFixed(2)}× openapi-fetch alone).`,
  `What each import adds, one after another (min+gz): ${marginal.join(", ")}.`,
  "Anchors measured the same way (issue 12): AssemblyAI 12.7 kB, Speechmatics 16.0 kB.",
  "CI budgets: `packages/client/src/bundle-size.test.ts` (`MODULAR_BUDGETS`, `BROWSER_BUDGET_BYTES`).",
  "",
];
writeResults("client-bundle", lines);
