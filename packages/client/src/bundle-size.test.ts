import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The browser bundle budget, min+gz, of everything @slng/client exports together with
 * openapi-fetch (CI fails above it): 11.82 kB after the issue-12 trim; 14.14 kB measured with
 * issue 17's controls and inputs (and `createSlngApi`, which alone brings openapi-fetch's
 * 2.6 kB), plus about 1 %. bench/client-bundle.bench.mjs reports the exact figures.
 */
export const BROWSER_BUDGET_BYTES = 14_300;

/**
 * Budgets, min+gz, of what an app that imports only some functions pays: issue 17's
 * allowances. The helpers no longer go through openapi-fetch (only `createSlngApi` does), so
 * an app that does not import it leaves it out.
 */
export const MODULAR_BUDGETS = {
  /** `createSlngCore` + `getJob`: 4.63 kB measured. */
  coreGet: 6_000,
  /** `+ createJob + waitForJob + downloadTranscript`: 10.46 kB measured. */
  flow: 11_000,
  /** `createSlngClient` alone: 11.56 kB measured. */
  client: 12_000,
} as const;

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

async function bundle(contents: string, platform: "browser" | "node" = "browser") {
  const r = await build({
    stdin: { contents, resolveDir: pkg, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return r.outputFiles[0]?.text ?? "";
}
const gzip = (code: string) => gzipSync(code, { level: 9 }).length;
const only = (names: string) => `export { ${names} } from "@slng/client";`;

describe("browser bundle", () => {
  it("is built (run the package build first)", () => {
    expect(existsSync(join(pkg, "dist", "index.js"))).toBe(true);
  });

  it(`stays within ${BROWSER_BUDGET_BYTES} bytes min+gz with openapi-fetch, and holds no Node built-ins`, async () => {
    // Resolved as a browser bundler does: the "browser" condition picks dist/index.js.
    const code = await bundle('export * from "@slng/client";');
    const gz = gzip(code);
    expect(gz).toBeGreaterThan(3000);
    expect(gz).toBeLessThanOrEqual(BROWSER_BUDGET_BYTES);
    expect(/node:(http|https|fs|path)|from"(http|https|fs)"/.test(code)).toBe(false);
    expect(code.includes("Authorization")).toBe(true);
  });

  it(`createSlngCore + getJob stays within ${MODULAR_BUDGETS.coreGet} bytes and leaves uploads and waits out`, async () => {
    const code = await bundle(only("createSlngCore, getJob"));
    expect(gzip(code)).toBeLessThanOrEqual(MODULAR_BUDGETS.coreGet);
    expect(code.includes("Authorization")).toBe(true);
    for (const other of [
      "TextEncoder",
      "multipart/form-data",
      "made no progress",
      "did not finish within",
      `"presign"`,
    ])
      expect(code.includes(other), other).toBe(false);
  });

  it(`+ createJob, waitForJob and downloadTranscript stays within ${MODULAR_BUDGETS.flow} bytes, without list`, async () => {
    const code = await bundle(only("createSlngCore, getJob, createJob, waitForJob, downloadTranscript"));
    expect(gzip(code)).toBeLessThanOrEqual(MODULAR_BUDGETS.flow);
    expect(code.includes("multipart/form-data")).toBe(true);
    expect(code.includes("pageSize must be")).toBe(false);
  });

  it(`createSlngClient stays within ${MODULAR_BUDGETS.client} bytes`, async () => {
    const code = await bundle(only("createSlngClient"));
    expect(gzip(code)).toBeLessThanOrEqual(MODULAR_BUDGETS.client);
    expect(gzip(code)).toBeGreaterThan(MODULAR_BUDGETS.flow * 0.9);
  });

  it("the Node build (the node condition) carries the node:http upload path", async () => {
    const code = await bundle('export * from "@slng/client";', "node");
    expect(/from"(node:)?http"/.test(code)).toBe(true);
  });
});
