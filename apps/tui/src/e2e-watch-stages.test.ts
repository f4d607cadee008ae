import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv } from "./test-utils/cli-process.js";

// Each stage lasts exactly 1 s by the emulator's schedule; a watch must see every one and time
// it by the API's timestamps (so the durations are exact, whoever watches and whenever).
let emulator: Emulator;
let url: string;
const dir = mkdtempSync(join(tmpdir(), "slng-stages-"));
const wav = join(dir, "meeting.wav");

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  writeFileSync(wav, createSampleWav({ seconds: 12, sampleRate: 8000 }));
  emulator = createEmulator({ rtf: 0.01, minStageMs: 1000 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the built CLI with stdout into a pipe; `lines` fills as lines arrive. */
function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: cleanEnv({ SLNG_BASE_URL: url }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const code = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  return { code, out: () => out };
}

/** "STAGE took D" for every stage a watch's lines timed. */
function tookByStage(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/\b([A-Z_]+) took (\S+?),?(?= |$)/gm)].map((m) => [m[1], m[2]]));
}

describe("a watch sees every stage of 1 s or longer", () => {
  it("submit --watch times QUEUED, IN_PROGRESS, DECODING and POST_PROCESSING; a second watch agrees", async () => {
    const submit = start(["submit", wav, "--watch"]);
    const until = async (re: RegExp) => {
      while (!re.test(submit.out())) await new Promise((r) => setTimeout(r, 25));
    };
    await until(/\s(\w{24})\s+IN_PROGRESS/);
    const id = /\s(\w{24})\s+QUEUED/.exec(submit.out())?.[1] ?? "";
    const second = start(["watch", id]);
    expect(await submit.code).toBe(0);
    expect(await second.code).toBe(0);
    const first = submit.out();
    expect(first).not.toMatch(/not observed|≤/);
    expect(tookByStage(first)).toEqual({
      QUEUED: "1.0s",
      IN_PROGRESS: "1.0s",
      DECODING: "1.0s",
      POST_PROCESSING: "1.0s",
    });
    const later = tookByStage(second.out());
    expect(Object.keys(later).length).toBeGreaterThanOrEqual(3);
    for (const [stage, took] of Object.entries(later)) expect(took, stage).toBe(tookByStage(first)[stage]);
  }, 120_000);
});
