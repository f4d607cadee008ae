import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createEmulator, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY } from "./test-kit.js";

const run = promisify(execFile);
const dir = fileURLToPath(new URL("../examples", import.meta.url));
let emu: Emulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
  const { url } = await emu.listen();
  const { HTTP_PROXY, HTTPS_PROXY, http_proxy, https_proxy, ALL_PROXY, all_proxy, SLNG_LOG, ...rest } = process.env;
  env = { ...rest, SLNG_API_KEY: KEY, SLNG_BASE_URL: url, NO_PROXY: "" };
});
afterAll(() => emu.close());

/** What each example must print (it runs against the emulator, with the built package). */
const EXPECT: Record<string, RegExp> = {
  "per-request-timeout.mjs":
    /^listed \d+ job\(s\) of \d+\n(timed out as asked: .*timed out after 1 ms|answered within 1 ms)\n$/,
  "logging.mjs": /job\(s\); the log lines above went to stderr/,
  "middleware.mjs":
    /api {5}POST \/v1\/batch\/jobs → 200[\s\S]*storage PUT \/storage\/inputs\/[\s\S]*api {5}POST \/v1\/batch\/jobs → 202[\s\S]*created \w+/,
  "with-response.mjs":
    /^status 200, request id .*\nrate limit left: .*\nstandalone: status 200, content-type application\/json/,
  "error-handling.mjs":
    /no such job \(not_found, status 404\)\n.*check the API key \(forbidden\)\n.*bad input \(jobId\)[\s\S]*bad input \(pageSize\)/,
  "proxy.mjs": /through the proxy:\n {2}GET http:\/\/127\.0\.0\.1:\d+\/v1\/batch\/jobs\?…/,
};

describe("examples/ run against the emulator", () => {
  it("every example is checked here", () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(EXPECT).sort());
  });

  it.each(Object.keys(EXPECT))("%s", async (name) => {
    const { stdout, stderr } = await run(process.execPath, [join(dir, name)], { env, timeout: 60_000 });
    expect(stdout).toMatch(EXPECT[name] as RegExp);
    expect(stdout + stderr).not.toContain(KEY);
    if (name === "logging.mjs") expect(stderr).toMatch(/\[slng debug\] api GET .* → 200 .*authorization: \[REDACTED\]/);
  });
});
