import { spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv } from "./test-utils/cli-process.js";

// Output into a pipe must arrive in full however slow the reader, before the process exits.
let emulator: Emulator;
let url: string;
let longJob: string;
const JOBS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the built CLI with stdout into a pipe whose reader waits, then reads one chunk at a time with pauses. */
function runSlowReader(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cleanEnv({ SLNG_BASE_URL: url }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    void (async () => {
      const chunks: Buffer[] = [];
      await sleep(400);
      for await (const chunk of child.stdout) {
        chunks.push(chunk as Buffer);
        await sleep(15);
      }
      resolve({ code: await exited, stdout: Buffer.concat(chunks), stderr });
    })();
  });
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.0005, minStageMs: 5 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  // 40 minutes of audio at 1 kHz: a small upload with a long (~0.6 MB) JSON transcript.
  const long = await slng.jobs.create({
    file: createSampleWav({ seconds: 2400, sampleRate: 1000 }),
    filename: "long.wav",
    config: { language: "en" },
  });
  longJob = long.job_id;
  const tiny = createSampleWav({ seconds: 0.2, sampleRate: 1000 });
  for (let i = 1; i < JOBS; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, JOBS - i) }, (_, k) =>
        slng.jobs.create({
          file: tiny,
          filename: "t.wav",
          config: { language: "en" },
          tracking: { title: `pipe ${i + k}` },
        }),
      ),
    );
  }
  await slng.jobs.wait(longJob);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe("output into a slow pipe is complete", () => {
  it("transcript --format json (≥ 400 kB) arrives byte for byte, exit 0", async () => {
    const served = await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.download(longJob, "json");
    const expected = `${JSON.stringify(served, null, 2)}\n`;
    expect(Buffer.byteLength(expected)).toBeGreaterThanOrEqual(400_000);
    const { code, stdout, stderr } = await runSlowReader(["transcript", longJob, "--format", "json"]);
    expect(stdout.length, stderr).toBe(Buffer.byteLength(expected));
    expect(stdout.toString("utf8") === expected).toBe(true);
    expect(code, stderr).toBe(0);
  }, 120_000);

  it(`jobs --json of ${JOBS} jobs arrives line for line, exit 0`, async () => {
    const { code, stdout, stderr } = await runSlowReader(["jobs", "--json", "--limit", String(JOBS)]);
    const lines = stdout.toString("utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.length, stderr).toBe(JOBS);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { job_id: string }).job_id));
    expect(ids.size).toBe(JOBS);
    expect(code, stderr).toBe(0);
  }, 120_000);
});

describe("a reader that goes away, and an output that cannot be written", () => {
  it("a closed pipe (| head -1) ends the command quietly with 141", async () => {
    const child = spawn(process.execPath, [CLI, "jobs", "--json", "--limit", String(JOBS)], {
      env: cleanEnv({ SLNG_BASE_URL: url }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const first = await new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d))));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(first).toMatch(/^\{"job_id"/);
    expect(code).toBe(141);
    expect(stderr).toBe("");
  }, 120_000);

  it("a full disk (/dev/full) is an error on stderr and a non-zero exit", async () => {
    const child = spawn(process.execPath, [CLI, "transcript", longJob, "--format", "json"], {
      env: cleanEnv({ SLNG_BASE_URL: url }),
      stdio: ["ignore", openSync("/dev/full", "w"), "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/could not write to standard output \(ENOSPC\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
