import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPty, strip } from "./test-utils/cli-process.js";
import { screenLines, screenRuns } from "./test-utils/screen.js";

// The built CLI in a pseudo-terminal: the job's frame drawn with plain writes before Ink loads
// must be the screen Ink then draws, and an idle watch must keep its timers right by rewriting
// only the lines that tick (no full frame per second, no stale lines).
const ESC = String.fromCharCode(27);
const INK_STARTS = `${ESC}[?25l`;
let emulator: Emulator;
let url: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  // 60 s of audio at rtf 1000: the job stays QUEUED for the whole test.
  emulator = createEmulator({ rtf: 1000, minStageMs: 0 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
});

afterAll(async () => {
  await emulator?.close();
});

async function runningJob(): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const { job_id } = await slng.jobs.create({
    file: createSampleWav({ seconds: 60 }),
    filename: "frames.wav",
    tracking: { title: "frames" },
  });
  return job_id;
}

async function waitUntil(check: () => boolean, what: string, output: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 90_000) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([
  { cols: 80, rows: 24 },
  { cols: 200, rows: 50 },
])("watch on a $cols×$rows terminal", ({ cols, rows }) => {
  it("the job's first frame comes before Ink, and Ink's first frame draws the same screen", async () => {
    const id = await runningJob();
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }), { cols, rows });
    await waitUntil(() => run.output().includes(INK_STARTS), "Ink's first frame", run.output);
    await new Promise((r) => setTimeout(r, 100));
    const out = run.output();
    // What was on screen when the hand-over began: its erase is the last one before Ink's frame.
    const handOver = out.lastIndexOf(`${ESC}[?2026h\r${ESC}[2K`, out.indexOf(INK_STARTS));
    expect(handOver, out).toBeGreaterThan(0);
    const before = out.slice(0, handOver);
    expect(strip(before), before).toMatch(/[◐◓◑◒] QUEUED/);
    const plain = await screenRuns(before, cols, rows);
    const ink = await screenRuns(out, cols, rows);
    // The timers may have moved on by a second between the two frames: compare them without the digits.
    const clocks = (screen: typeof plain) =>
      screen.map((line) =>
        line.map((r) => ({ ...r, text: r.text.replace(/\d+:\d\d/g, "m:ss").replace(/[◐◓◑◒]/g, "◐") })),
      );
    expect(clocks(ink)).toEqual(clocks(plain));
    run.write("q");
    expect(await run.exit).toBe(0);
  }, 120_000);

  it("idle, it rewrites only the ticking lines: no full frame a second, the timers right, nothing stale", async () => {
    const id = await runningJob();
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }), { cols, rows });
    await waitUntil(() => run.output().includes(INK_STARTS), "Ink's first frame", run.output);
    const inkAt = run.output().length;
    await new Promise((r) => setTimeout(r, 3500));
    const idle = run.output().slice(inkAt);
    // Each full frame redraws the key bar; tick patches never do (at most one render, for the ETA's data).
    expect(strip(idle).split("? help").length - 1, idle).toBeLessThanOrEqual(1);
    expect(idle).toContain(`${ESC}[?2026h`);
    const lines = await screenLines(run.output(), cols, rows);
    const text = lines.join("\n");
    expect(lines.filter((l) => l.startsWith(id)).length, text).toBe(1);
    expect(lines.filter((l) => /^Elapsed /.test(l)).length, text).toBe(1);
    const current = lines.filter((l) => /^[◐◓◑◒] QUEUED/.test(l));
    expect(current.length, text).toBe(1);
    const seconds = Number(/(\d+):(\d\d)\s*$/.exec(current[0] ?? "")?.[2]);
    expect(seconds, text).toBeGreaterThanOrEqual(3);
    run.write("q");
    expect(await run.exit).toBe(0);
    const final = await screenLines(run.output(), cols, rows);
    expect(final.filter((l) => l.startsWith(id)).length).toBe(1);
    expect(final.at(-1)).toMatch(/stopped watching/);
  }, 120_000);
});
