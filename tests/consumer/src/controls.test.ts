import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { run, userEnv } from "./lib/project.js";

const consumer = inject("consumer");
const bin = (name: string) => join(consumer.dir, "node_modules", ".bin", name);

/** [label, command, arguments before the script]: each runtime as a user would start it. */
const RUNTIMES: [string, string, string[]][] = [
  ["Node", process.execPath, []],
  ["Bun", bin("bun"), []],
  ["Deno", bin("deno"), ["run", "--no-prompt", "--allow-env", "--allow-net=127.0.0.1", "--allow-read"]],
];

describe.each(RUNTIMES)("issue 17's controls, as installed (%s)", (runtime, cmd, pre) => {
  it("per-request options, proxy, middleware, withResponse, error classes, unexpected_response, debug logs", async () => {
    const r = await run(cmd, [...pre, "controls.mjs", consumer.wav], {
      cwd: consumer.dir,
      env: userEnv({ SLNG_API_KEY: consumer.apiKey, SLNG_BASE_URL: consumer.baseUrl }),
    });
    expect(r.code, `controls.mjs failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    const result = JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
    const seen: string[] = result.proxySeen;
    expect(seen.slice(0, 4)).toEqual([
      "POST /v1/batch/jobs mp",
      "POST /v1/batch/jobs ps",
      expect.stringMatching(/^PUT \/storage\/inputs\/\w+\.wav -$/),
      "POST /v1/batch/jobs ps",
    ]);
    expect(seen).toContain(`GET /v1/batch/jobs/${result.withResponse.jobId}/files dl`);
    expect(
      seen.some((line) => /^GET \/storage\/outputs\/.* -$/.test(line)),
      seen.join("\n"),
    ).toBe(true);
    // Node's fetch proxies only through the client; Bun's and Deno's fetch also apply HTTP_PROXY
    // by themselves, so there the later calls made with `proxy: false` pass the proxy too.
    if (runtime === "Node") expect(seen.at(-1)).toMatch(/^GET \/storage\/outputs\/.* -$/);
    expect(result.middlewareKinds).toEqual(["api GET", "api POST", "storage GET", "storage PUT"]);
    expect(result.timeout).toBe("SlngTimeoutError");
    expect(result.attemptsWithMaxRetries0).toBe(1);
    expect(result.withResponse).toMatchObject({ status: 200, requestId: result.withResponse.header });
    expect(result.withResponse.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.auth).toEqual([
      ["SlngAuthenticationError", "unauthorized", true],
      ["SlngPermissionDeniedError", "forbidden", true],
    ]);
    expect(result.unexpected).toEqual(Array(5).fill("SlngApiError:unexpected_response"));
    const debug = r.stderr.split("\n").filter((l) => / → \d+ .*attempt \d+ request-id /.test(l));
    expect(debug.some((l) => l.startsWith("storage PUT ") && l.includes("X-Amz-Signature=REDACTED"))).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(consumer.apiKey);
    expect(r.stdout + r.stderr).not.toMatch(/X-Amz-(Signature|Credential)=(?!REDACTED)/);
  });
});
