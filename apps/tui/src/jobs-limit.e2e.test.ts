import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";

// `jobs` without a terminal lists at most --limit jobs (default 100) and says so when there are more.
let emulator: Emulator;
let url: string;
const JOBS = 103;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.0005, minStageMs: 5 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const tiny = createSampleWav({ seconds: 0.2, sampleRate: 1000 });
  for (let i = 0; i < JOBS; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, JOBS - i) }, () =>
        slng.jobs.create({ file: tiny, filename: "t.wav", config: { language: "en" } }),
      ),
    );
  }
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

const env = () => cleanEnv({ SLNG_BASE_URL: url });
const ids = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .map((l) => (JSON.parse(l) as { job_id: string }).job_id);

describe("jobs in a pipe: --limit", () => {
  it("the default limit of 100 says on stderr how many were shown of how many, and how to get all", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--json"], env());
    expect(code, stderr).toBe(0);
    expect(new Set(ids(stdout)).size).toBe(100);
    expect(stderr).toBe(`Showed 100 of ${JOBS} jobs (--limit 100); pass --limit ${JOBS} to list them all.\n`);
  }, 30_000);

  it("the table says it too, and stdout holds only the table", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--limit", "2"], env());
    expect(code, stderr).toBe(0);
    expect(stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(stderr).toBe(`Showed 2 of ${JOBS} jobs (--limit 2); pass --limit ${JOBS} to list them all.\n`);
  }, 30_000);

  it("a limit above one page lists distinct jobs, and no note when all are shown", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--json", "--limit", String(JOBS + 5)], env());
    expect(code, stderr).toBe(0);
    expect(new Set(ids(stdout)).size).toBe(JOBS);
    expect(stderr).toBe("");
  }, 30_000);

  it("a limit of 102 (two pages of different sizes before) lists 102 distinct jobs", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--json", "--limit", "102"], env());
    expect(code, stderr).toBe(0);
    expect(new Set(ids(stdout)).size).toBe(102);
  }, 30_000);
});

describe("global options before the command", () => {
  it("slng-batch --json --base-url URL jobs --limit 2 works as with them after the command", async () => {
    const { code, stdout, stderr } = await runPiped(["--json", "--base-url", url, "jobs", "--limit", "2"], cleanEnv());
    expect(code, stderr).toBe(0);
    expect(ids(stdout)).toHaveLength(2);
  }, 30_000);
});
