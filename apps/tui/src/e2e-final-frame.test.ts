import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPty } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

// The final frame as the user sees it — scrollback included — through a terminal emulator,
// so lines a frame left behind (a key bar, a "loading" line) are caught, not just bytes.
let emulator: Emulator;
let url: string;

async function createJob(seconds: number, metadata?: Record<string, unknown>): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const ack = await slng.jobs.create({
    file: createSampleWav({ seconds }),
    filename: "frame.wav",
    config: { language: "en" },
    tracking: { title: "final frame" },
    ...(metadata ? { metadata } : {}),
  });
  return ack.job_id;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.3, minStageMs: 150 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
});

afterAll(async () => {
  await emulator?.close();
});

const count = (lines: string[], pattern: RegExp) => lines.filter((l) => pattern.test(l)).length;

describe.each([
  { cols: 80, rows: 24 },
  { cols: 200, rows: 50 },
])("final frame on a $cols×$rows terminal", ({ cols, rows }) => {
  it("a watch to DONE: one header, every stage once, the status line, no key bar left behind", async () => {
    const id = await createJob(8);
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }), { cols, rows });
    expect(await run.exit).toBe(0);
    const lines = await screenLines(run.output(), cols, rows);
    const text = lines.join("\n");
    expect(count(lines, new RegExp(`^${id}\\b`)), text).toBe(1);
    for (const stage of ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING"]) {
      expect(count(lines, new RegExp(`^✓ ${stage}\\b`)), text).toBe(1);
    }
    expect(count(lines, /✓ DONE · exit code 0/), text).toBe(1);
    expect(text).not.toMatch(/loading job…|\? help|q quit|t to read all/);
    expect(lines.at(-1), text).toMatch(/✓ DONE · exit code 0/);
  }, 120_000);

  it("--stay, then q: the final status line, no key bar nor 't to read all' in the scrollback", async () => {
    const id = await createJob(4);
    await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.wait(id);
    const run = runPty(process.execPath, [CLI, "watch", id, "--stay"], cleanEnv({ SLNG_BASE_URL: url }), {
      cols,
      rows,
    });
    // The view is complete (the transcript preview loaded) when t is offered.
    await run.waitFor("t transcript");
    run.write("q");
    expect(await run.exit).toBe(0);
    const lines = await screenLines(run.output(), cols, rows);
    const text = lines.join("\n");
    expect(count(lines, /✓ DONE · exit code 0/), text).toBe(1);
    expect(text).not.toMatch(/\? help|q quit|t to read all|d delete/);
    expect(lines.at(-1), text).toMatch(/✓ DONE · exit code 0/);
  }, 120_000);

  it("a FAILED job: no stage it never reached is marked done", async () => {
    const id = await createJob(2, { emulator: { fail: "Audio could not be decoded (frame)" } });
    await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url })
      .jobs.wait(id)
      .catch(() => undefined);
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }), { cols, rows });
    expect(await run.exit).toBe(1);
    const lines = await screenLines(run.output(), cols, rows);
    const text = lines.join("\n");
    expect(text).not.toMatch(/POST_PROCESSING/);
    expect(count(lines, /✗ FAILED: Audio could not be decoded \(frame\) · exit code 1/), text).toBe(1);
    expect(text).not.toMatch(/\? help|q quit/);
  }, 120_000);
});
