#!/usr/bin/env node
/**
 * Browser bundle size of @slng/client (with openapi-fetch and the @slng/types constants it
 * uses), minified and gzipped, side by side with openapi-fetch alone. Both are bundled by
 * esbuild for the browser, as an app would (the "browser" export condition).
 * Run after `pnpm build`: node bench/client-bundle.bench.mjs
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

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

const rows = [
  ["@slng/client (everything it exports) + openapi-fetch", await measure('export * from "@slng/client";')],
  ["@slng/client: createSlngClient only", await measure('export { createSlngClient } from "@slng/client";')],
  ["openapi-fetch alone (createClient)", await measure('export { default } from "openapi-fetch";')],
];
const of = rows[2][1];
const ours = rows[0][1];
const kb = (n) => (n / 1000).toFixed(2);
const lines = [
  "# @slng/client — browser bundle size",
  "",
  `Measured ${new Date().toISOString()} with esbuild (browser platform, minified, ES2022), gzip level 9 and brotli.`,
  "",
  "| bundle | min (kB) | min+gz (kB) | min+br (kB) |",
  "| --- | ---: | ---: | ---: |",
  ...rows.map(([name, s]) => `| ${name} | ${kb(s.min)} | ${kb(s.gz)} | ${kb(s.br)} |`),
  "",
  `The client adds ${kb(ours.gz - of.gz)} kB min+gz on top of openapi-fetch (${(ours.gz / of.gz).toFixed(2)}× openapi-fetch alone).`,
  `Goal ≤ 6 kB min+gz: ${ours.gz <= 6000 ? "met" : `not met (${kb(ours.gz)} kB)`}. For comparison (issue 4): AssemblyAI ~12 kB, Speechmatics ~16 kB, OpenAI ~35 kB.`,
  "CI budget: `packages/client/src/bundle-size.test.ts` (BROWSER_BUDGET_BYTES).",
  "",
];
// The "## History" section (earlier figures, written by hand) is kept from run to run.
const out = join(here, "results", "client-bundle.md");
const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
const history = previous.indexOf("\n## History");
if (history >= 0) lines.push(previous.slice(history + 1).trimEnd(), "");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(out, lines.join("\n"));
console.log(lines.join("\n"));
