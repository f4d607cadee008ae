import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";

// A deleted job: `files` and a piped `watch` say it was deleted, in words.
let emulator: Emulator;
let url: string;
let id: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.0005, minStageMs: 5 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const ack = await slng.jobs.create({
    file: createSampleWav({ seconds: 0.2, sampleRate: 1000 }),
    filename: "t.wav",
    config: { language: "en" },
  });
  id = ack.job_id;
  await slng.jobs.wait(id);
  await slng.jobs.delete(id);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

const env = () => cleanEnv({ SLNG_BASE_URL: url });

describe("a deleted job", () => {
  it("files says the job was deleted with its files (no empty Inputs, no 'not DONE')", async () => {
    const { code, stdout, stderr } = await runPiped(["files", id], env());
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(`Job ${id} was deleted, and its input and output files with it.\n`);
  });

  it("watch into a pipe says it plainly: deleted, when, and nothing left to watch (exit 1)", async () => {
    const { code, stdout } = await runPiped(["watch", id], env());
    expect(code).toBe(1);
    const [line, last] = stdout.trimEnd().split("\n");
    expect(line).toMatch(
      new RegExp(
        `^\\S+Z  ${id}  DELETED +the job was deleted at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, and its transcript and files with it$`,
      ),
    );
    expect(stdout).not.toContain("took");
    expect(last).toBe(`✗ ${id}: DELETED (nothing left to watch) (exit code 1)`);
  });
});
