import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped, runPty } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

// Job ids are what you paste into the next command: bulk's are 32 characters, the API allows 128.
let emulator: Emulator;
let url: string;
const ids: string[] = [];
let longTranscriptJob = "";

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.001, minStageMs: 1 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  for (const [i, length] of [32, 32, 40].entries()) {
    const jobId = `${"Bulk".repeat(10)}${i}`.slice(0, length - 1) + String(i);
    const ack = await slng.jobs.create({
      file: createSampleWav({ seconds: i === 0 ? 90 : 1, sampleRate: 4000 }),
      filename: "a.wav",
      jobId,
      config: { language: "en" },
      tracking: { title: `long id ${i}` },
    });
    ids.push(ack.job_id);
  }
  longTranscriptJob = ids[0] as string;
  for (const id of ids) await slng.jobs.wait(id);
});

afterAll(async () => {
  await emulator?.close();
});

describe("job ids are never cut", () => {
  it("jobs into a pipe: the first column is every id, whole (… | awk '{print $1}')", async () => {
    const r = await runPiped(["jobs"], cleanEnv({ SLNG_BASE_URL: url, COLUMNS: "80" }));
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/)[0]);
    expect(first.sort()).toEqual([...ids].sort());
  });

  it("jobs --json: whole ids", async () => {
    const r = await runPiped(["jobs", "--json"], cleanEnv({ SLNG_BASE_URL: url }));
    const got = r.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { job_id: string }).job_id);
    expect(got.sort()).toEqual([...ids].sort());
  });

  it.each([160, 80])(
    "the dashboard at %i columns shows every id whole",
    async (cols) => {
      const run = runPty(process.execPath, [CLI, "jobs"], cleanEnv({ SLNG_BASE_URL: url }), { cols, rows: 20 });
      await run.waitFor("page 1/");
      await run.waitFor(ids[2] ?? "?", 5000).catch(() => undefined);
      run.write("q");
      expect(await run.exit).toBe(0);
      const screen = (await screenLines(run.output(), cols, 20)).join("\n");
      for (const id of ids) expect(screen).toContain(`${id} `);
    },
    30_000,
  );

  it("the final frame's transcript hint at 50 columns puts the id on its own line, whole", async () => {
    const run = runPty(process.execPath, [CLI, "watch", longTranscriptJob], cleanEnv({ SLNG_BASE_URL: url }), {
      cols: 50,
      rows: 24,
    });
    expect(await run.exit).toBe(0);
    const lines = await screenLines(run.output(), 50, 24);
    const at = lines.findIndex((l) => l.includes("slng-batch transcript"));
    expect(at, lines.join("\n")).toBeGreaterThan(0);
    expect(lines[at]).toMatch(/^ {3}slng-batch transcript \\$/);
    expect(lines[at + 1]).toBe(`     ${longTranscriptJob}`);
    expect(lines[at - 1]).toMatch(/^ └ \d+ more lines:$/);
  }, 120_000);
});
