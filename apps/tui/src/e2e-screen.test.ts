import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPty, strip } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

const CLEAR_SCROLLBACK = "\u001b[3J";
const CLEAR_SCREEN = "\u001b[2J";

let emulator: Emulator;
let url: string;

async function createJob(seconds: number, title: string): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const ack = await slng.jobs.create({
    file: createSampleWav({ seconds, sampleRate: 4000 }),
    filename: "s.wav",
    config: { language: "en" },
    tracking: { title },
  });
  return ack.job_id;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.2, minStageMs: 100 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  for (let i = 0; i < 30; i++) await createJob(1, `screen ${i}`);
});

afterAll(async () => {
  await emulator?.close();
});

describe("the terminal's own scrollback is never wiped", () => {
  it("shrinking the window under the dashboard emits no ESC[2J / ESC[3J", async () => {
    const run = runPty(process.execPath, [CLI, "jobs"], cleanEnv({ SLNG_BASE_URL: url }), { cols: 100, rows: 30 });
    await run.waitFor("? help");
    await run.waitFor("page 1/");
    const before = run.output().length;
    run.resize(80, 14);
    await new Promise((r) => setTimeout(r, 400));
    run.resize(60, 10);
    await new Promise((r) => setTimeout(r, 400));
    const after = run.output().slice(before);
    run.write("q");
    expect(await run.exit).toBe(0);
    expect(after).not.toContain(CLEAR_SCROLLBACK);
    expect(after).not.toContain(CLEAR_SCREEN);
    expect(strip(after)).toContain("SLNG Batch jobs");
  }, 120_000);

  it("a 0×0 pty (script) is drawn as 80×24: no ESC[3J on any frame, lines not one character wide", async () => {
    const id = await createJob(3, "zero size");
    const child = spawn("script", ["-qec", `'${process.execPath}' '${CLI}' watch ${id}`, "/dev/null"], {
      env: cleanEnv({ SLNG_BASE_URL: url }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    child.stdin.end();
    expect(code, strip(out)).toBe(0);
    expect(out).not.toContain(CLEAR_SCROLLBACK);
    expect(strip(out)).toContain("✓ DONE · exit code 0");
    expect(strip(out)).toMatch(/✓ QUEUED\s+\S/);
  }, 120_000);

  it("the dashboard with a wrong key ends at once with exit 3 and says why", async () => {
    const run = runPty(
      process.execPath,
      [CLI, "jobs"],
      cleanEnv({ SLNG_BASE_URL: url, SLNG_API_KEY: "sk-wrong-0123" }),
      {
        hangMs: 15_000,
      },
    );
    expect(await run.exit).toBe(3);
    expect(strip(run.output())).toMatch(/error: Not authorised \(403\)/);
    expect(strip(run.output())).not.toContain("no jobs yet");
  }, 120_000);
});

describe("dashboard keys arriving in one read", () => {
  it("j and Enter together move to the second job and open it", async () => {
    const run = runPty(process.execPath, [CLI, "jobs"], cleanEnv({ SLNG_BASE_URL: url }), { cols: 100, rows: 30 });
    await run.waitFor("page 1/");
    const table = await screenLines(run.output(), 100, 30);
    const rows = table.filter((l) => /^(›| ) \w+ +. (DONE|QUEUED|IN_PROGRESS|DECODING|POST_PROCESSING)/.test(l));
    const second = rows[1]?.slice(2).split(" ")[0];
    expect(second, table.join("\n")).toMatch(/^\w+$/);
    run.write("j\r");
    // The watch view's header: the id, then its title (the table has the status between them).
    await run.waitFor(`${second} screen`, 10_000);
    expect(strip(run.output())).toContain("back to jobs");
    // q goes back to the table, q again quits: sent until the program has exited, as a key
    // pressed before the table listens again would be lost.
    let exited = false;
    void run.exit.then(() => {
      exited = true;
    });
    while (!exited) {
      run.write("q");
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await run.exit).toBe(0);
  }, 120_000);
});
