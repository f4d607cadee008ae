import { existsSync } from "node:fs";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, cliThenTerminalState, runPty, strip, terminalAfter } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

// A watch whose job's end is known at the first poll must exit at once, every time: the
// first poll often answers before Ink has mounted, which once left the process hanging.
const RUNS = 10;
const PARALLEL = 5;
/** A hang detector, not a speed check: a healthy run takes well under a second. */
const HANG_MS = 20_000;

let emulator: Emulator;
let url: string;
const ids: Record<"DONE" | "FAILED" | "DELETED", string> = { DONE: "", FAILED: "", DELETED: "" };

async function createFinished(fail?: string): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const ack = await slng.jobs.create({
    file: createSampleWav({ seconds: 2 }),
    filename: "first-poll.wav",
    config: { language: "en" },
    tracking: { title: "first poll" },
    ...(fail ? { metadata: { emulator: { fail } } } : {}),
  });
  await slng.jobs.wait(ack.job_id).catch(() => undefined);
  return ack.job_id;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.01, minStageMs: 20 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  ids.DONE = await createFinished();
  ids.FAILED = await createFinished("Audio could not be decoded (first poll)");
  ids.DELETED = await createFinished();
  await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.delete(ids.DELETED);
});

afterAll(async () => {
  await emulator?.close();
});

interface Ending {
  name: string;
  jobId: () => string;
  env?: Record<string, string>;
  code: number;
  says: RegExp;
}

const ENDINGS: Ending[] = [
  { name: "DONE", jobId: () => ids.DONE, code: 0, says: /✓ DONE · exit code 0/ },
  { name: "FAILED", jobId: () => ids.FAILED, code: 1, says: /✗ FAILED: Audio could not be decoded/ },
  { name: "DELETED", jobId: () => ids.DELETED, code: 1, says: /✗ DELETED · exit code 1/ },
  { name: "404 (unknown job)", jobId: () => "nosuchjob404", code: 3, says: /Not found/ },
  {
    name: "403 (wrong key)",
    jobId: () => ids.DONE,
    env: { SLNG_API_KEY: "sk-wrong-key-e2e-0123" },
    code: 3,
    says: /Not authorised \(403\)/,
  },
];

async function watchOnce(ending: Ending) {
  const env = cleanEnv({ SLNG_BASE_URL: url, ...ending.env });
  const run = runPty(
    "/bin/bash",
    ["--norc", "--noprofile", "-c", cliThenTerminalState(["watch", ending.jobId()])],
    env,
    {
      hangMs: HANG_MS,
    },
  );
  const exit = await run.exit;
  return { exit, raw: run.output() };
}

describe("watch of a job whose end the first poll already knows (real pty, repeated)", () => {
  for (const ending of ENDINGS) {
    it(`${ending.name}: exits ${ending.code} every time, terminal restored`, async () => {
      const results: Awaited<ReturnType<typeof watchOnce>>[] = [];
      for (let i = 0; i < RUNS; i += PARALLEL) {
        const batch = Array.from({ length: Math.min(PARALLEL, RUNS - i) }, () => watchOnce(ending));
        results.push(...(await Promise.all(batch)));
      }
      const hung = results.filter((r) => r.exit === "hung").length;
      expect(
        hung,
        `${hung} of ${RUNS} runs hung; one of them:\n${strip(results.find((r) => r.exit === "hung")?.raw ?? "")}`,
      ).toBe(0);
      for (const { raw } of results) {
        const after = terminalAfter(raw);
        expect(after.exit, strip(raw)).toBe(ending.code);
        expect(after.cooked, strip(raw)).toBe(true);
        expect(after.cursorShown, raw).toBe(true);
        expect(strip(raw)).toMatch(ending.says);
        expect(strip(raw)).toContain(`exit code ${ending.code}`);
      }
    }, 120_000);
  }
});

async function childPid(parent: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  for (let i = 0; i < 200; i++) {
    const children = await readFile(`/proc/${parent}/task/${parent}/children`, "utf8").catch(() => "");
    const pid = Number(children.trim().split(/\s+/)[0]);
    if (pid > 0) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no child of ${parent}`);
}

describe("signals always end the process with 130 and a restored terminal", () => {
  const cases: ["SIGINT" | "SIGTERM", string[]][] = [
    ["SIGTERM", ["watch"]],
    ["SIGINT", ["watch"]],
    ["SIGTERM", ["watch", "--stay"]],
    ["SIGTERM", ["jobs"]],
  ];
  for (const [signal, args] of cases) {
    it(`${signal} to \`${args.join(" ")}\``, async () => {
      const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
      const running = await slng.jobs.create({
        // An hour of audio (at 1 kHz, a small upload): still running when the signal comes, even on a loaded machine.
        file: createSampleWav({ seconds: 3600, sampleRate: 1000 }),
        filename: "long.wav",
        config: { language: "en" },
      });
      // --stay on a finished job: the view stays open with nothing left to abort.
      const id = args.includes("--stay") ? ids.FAILED : running.job_id;
      const line = cliThenTerminalState(args[0] === "watch" ? ["watch", id, ...args.slice(1)] : [...args]);
      const run = runPty("/bin/bash", ["--norc", "--noprofile", "-c", line], cleanEnv({ SLNG_BASE_URL: url }), {
        hangMs: HANG_MS,
      });
      await run.waitFor("? help");
      process.kill(await childPid(run.pid), signal);
      expect(await run.exit).not.toBe("hung");
      const after = terminalAfter(run.output());
      expect(after, strip(run.output())).toEqual({ exit: 130, cooked: true, cursorShown: true });
    }, 120_000);
  }
});

describe("watch --stay, then d", () => {
  it("after deleting the finished job and q, the last line says it was deleted, not just DONE", async () => {
    const id = await createFinished();
    const run = runPty(process.execPath, [CLI, "watch", id, "--stay"], cleanEnv({ SLNG_BASE_URL: url }), {
      cols: 100,
      rows: 30,
      hangMs: HANG_MS,
    });
    await run.waitFor("d delete");
    run.write("d");
    await run.waitFor("y/N");
    run.write("y");
    await run.waitFor(`Deleted job ${id}.`);
    run.write("q");
    expect(await run.exit).toBe(0);
    const lines = (await screenLines(run.output(), 100, 30)).filter((l) => l.trim() !== "");
    expect(lines.join("\n")).toContain("⌫ DELETED");
    expect(lines.at(-1)).toBe("✓ DONE, then deleted · exit code 0");
  }, 120_000);
});
