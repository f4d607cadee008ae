import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { run, userEnv } from "./lib/project.js";

const consumer = inject("consumer");
const bin = (name: string) => join(consumer.dir, "node_modules", ".bin", name);
const DENO_PERMISSIONS = ["run", "--no-prompt", "--allow-env", "--allow-net=127.0.0.1", "--allow-read"];

/** [label, command, arguments before the script]: each runtime as a user would start it. */
const RUNTIMES: [string, string, string[]][] = [
  ["node", process.execPath, []],
  ["bun", bin("bun"), []],
  ["deno", bin("deno"), DENO_PERMISSIONS],
];
/** The emulator keeps uploads in a temp folder, so under Deno it needs write permission too. */
const writeFlag = (runtime: string) => (runtime === "deno" ? ["--allow-write"] : []);

function runScript(cmd: string, pre: string[], script: string, args: string[] = []) {
  return run(cmd, [...pre, script, ...args], {
    cwd: consumer.dir,
    env: userEnv({ SLNG_API_KEY: consumer.apiKey, SLNG_BASE_URL: consumer.baseUrl }),
  });
}

describe.each(RUNTIMES)("the installed packages under %s", (runtime, cmd, pre) => {
  it.each([
    ["import (ESM)", "flow.mjs"],
    ["require (CommonJS)", "flow.cjs"],
  ])(
    "run @slng/client's full flow, loaded with %s: create from a WAV file, wait, txt and srt, list, delete",
    async (_, script) => {
      const label = `${runtime} ${script}`;
      const r = await runScript(cmd, pre, script, [consumer.wav, label]);
      expect(r.code, `${label} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      const result = JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
      expect(result).toMatchObject({
        runtime: label,
        status: "DONE",
        details: "Q1 planning session",
        listed: true,
        standalone: "DONE",
        deleted: "DELETED",
        notFound: { isSlngApiError: true, status: 404 },
      });
      expect(result.txt.trim().length).toBeGreaterThan(0);
      expect(result.srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
      expect(r.stdout + r.stderr).not.toContain(consumer.apiKey);
    },
  );

  it("loads @slng/types, @slng/emulator and @slng/bulk through require and uses them", async () => {
    const r = await runScript(cmd, [...pre, ...writeFlag(runtime)], "entries.cjs");
    expect(r.code, `${runtime} entries.cjs failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({
      statuses: ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE", "FAILED", "DELETED"],
      defaultModel: "slng/speechmatics/batch:15.0.0",
      listStatus: 200,
      total: 0,
      wavBytes: expect.any(Number),
      bulk: "function",
    });
  });
});

describe("the installed @slng/bulk under node", () => {
  it("transcribes a nested folder as a library, and a rerun submits nothing", async () => {
    const r = await runScript(process.execPath, [], "bulk.mjs", ["rec", "rec-out"]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const { first, second } = JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
    expect(first).toMatchObject({ total: 2, failed: [], detached: false });
    expect(first.counts.done).toBe(2);
    expect(second).toMatchObject({ total: 2, failed: [], requests: 0 });
    expect(readFileSync(join(consumer.dir, "rec-out", "nested", "b.srt"), "utf8")).toMatch(/^1\r?\n\d\d:/);
  });
});
