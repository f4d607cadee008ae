import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleWav } from "@slng/emulator";
import { afterAll, describe, expect, it } from "vitest";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "transcribe.js");
const cwd = mkdtempSync(join(tmpdir(), "slng-example-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function run(args: string[], opts: { cwd?: string; initCwd?: string } = {}) {
  const env = { ...process.env };
  delete env.SLNG_API_KEY;
  delete env.SLNG_BASE_URL;
  delete env.INIT_CWD;
  if (opts.initCwd) env.INIT_CWD = opts.initCwd;
  return spawnSync(process.execPath, [script, ...args], {
    cwd: opts.cwd ?? cwd,
    env,
    encoding: "utf8",
    timeout: 25_000,
  });
}

describe("the example script (built), against its in-process emulator", () => {
  it("submits the sample, prints each status, the transcript, and saves the srt", () => {
    const r = run([]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    const statuses = lines.map((l) => /\d s {2}([A-Z_]+)$/.exec(l)?.[1]).filter(Boolean);
    expect(statuses[0]).toBe("QUEUED");
    expect(statuses.at(-1)).toBe("DONE");
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toMatch(/uploaded \d+ KiB/);
    const transcript = r.stdout.split("Transcript:\n")[1]?.split("\n\n")[0] ?? "";
    expect(transcript.length).toBeGreaterThan(5);
    const srt = readFileSync(join(cwd, "sample.srt"), "utf8");
    expect(srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
    const firstWord = transcript.split(/\s+/)[0]?.replace(/[^\w']/g, "") ?? "";
    expect(srt).toContain(firstWord);
    expect(r.stdout).toContain("Subtitles saved to sample.srt");
  });

  it("transcribes a file given on the command line", () => {
    writeFileSync(join(cwd, "meeting.wav"), createSampleWav({ seconds: 2, seed: 3 }));
    const r = run(["meeting.wav"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Submitting meeting.wav");
    expect(existsSync(join(cwd, "meeting.srt"))).toBe(true);
  });

  it("through pnpm (INIT_CWD), reads the file from where the user ran it and writes the srt beside it", () => {
    const user = mkdtempSync(join(tmpdir(), "slng-example-user-"));
    const packageDir = mkdtempSync(join(tmpdir(), "slng-example-pkg-"));
    try {
      mkdirSync(join(user, "rec"));
      writeFileSync(join(user, "rec", "talk.wav"), createSampleWav({ seconds: 2, seed: 5 }));
      const r = run(["rec/talk.wav"], { cwd: packageDir, initCwd: user });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Submitting rec/talk.wav");
      expect(readFileSync(join(user, "rec", "talk.srt"), "utf8")).toMatch(/^1\r?\n/);
      expect(existsSync(join(packageDir, "talk.srt"))).toBe(false);
      expect(r.stdout).toContain("Subtitles saved to rec/talk.srt");
    } finally {
      rmSync(user, { recursive: true, force: true });
      rmSync(packageDir, { recursive: true, force: true });
    }
  });

  it("explains bad input in one line, without a stack trace", () => {
    writeFileSync(join(cwd, "notes.txt"), "hello");
    const r = run(["notes.txt"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Error: "notes\.txt" is not a supported audio file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = run(["missing.wav"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`Error: no such file: ${join(cwd, "missing.wav")}`);
  });
});
