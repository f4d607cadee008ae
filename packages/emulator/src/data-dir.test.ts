import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, createSampleWav, DATA_DIR_MARKER, DataDirError } from "./index.js";
import { testApisClosedAfterEach } from "./test-support.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
const setup = testApisClosedAfterEach();
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A temp root with `dir` (the data dir to try) and `elsewhere` (a folder outside it). */
function root(): { dir: string; elsewhere: string } {
  const r = mkdtempSync(join(tmpdir(), "emu-datadir-"));
  roots.push(r);
  return { dir: join(r, "data"), elsewhere: join(r, "elsewhere") };
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A user's project folder: names the emulator also uses, and `outputs` a link to a folder outside. */
function userFolder(): { dir: string; elsewhere: string; files: string[] } {
  const { dir, elsewhere } = root();
  put(join(dir, "inputs", "interview.wav"), "interview");
  put(join(elsewhere, "final", "report.docx"), "report");
  put(join(elsewhere, "abc123", "transcript.txt"), "kept");
  symlinkSync(elsewhere, join(dir, "outputs"));
  return {
    dir,
    elsewhere,
    files: [
      join(dir, "inputs", "interview.wav"),
      join(elsewhere, "final", "report.docx"),
      join(elsewhere, "abc123", "transcript.txt"),
    ],
  };
}

function runBin(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ctrl+C")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("data dir: never a user's files", () => {
  it("refuses a non-empty folder it did not make, naming what is there, and deletes nothing", () => {
    const { dir, elsewhere } = root();
    put(join(dir, "outputs", "final", "report.docx"), "report");
    put(join(dir, "inputs", "interview.wav"), "interview");
    expect(() => createEmulator({ dataDir: dir })).toThrow(DataDirError);
    expect(() => createEmulator({ dataDir: dir })).toThrow(/not empty.*inputs\/, outputs\//);
    expect(readFileSync(join(dir, "outputs", "final", "report.docx"), "utf8")).toBe("report");
    expect(readFileSync(join(dir, "inputs", "interview.wav"), "utf8")).toBe("interview");
    expect(existsSync(join(dir, DATA_DIR_MARKER))).toBe(false);
    expect(existsSync(elsewhere)).toBe(false);
  });

  it("refuses a folder whose outputs is a link elsewhere, and the folder outside survives", () => {
    const { dir, files } = userFolder();
    expect(() => createEmulator({ dataDir: dir })).toThrow(/outputs -> /);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it("refuses even a marked folder whose outputs is a link, and never follows it", () => {
    const { dir, files } = userFolder();
    writeFileSync(join(dir, DATA_DIR_MARKER), "");
    expect(() => createEmulator({ dataDir: dir })).toThrow(/outputs in it is a symbolic link/);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it("refuses a path that is a file", () => {
    const { dir } = root();
    put(dir, "not a folder");
    expect(() => createEmulator({ dataDir: dir })).toThrow(/is not a folder/);
    expect(readFileSync(dir, "utf8")).toBe("not a folder");
  });

  it("creates and marks a new folder; marks an empty one; a second start reuses it", async () => {
    const { dir } = root();
    const first = setup({ dataDir: join(dir, "new") });
    expect(readdirSync(join(dir, "new")).sort()).toEqual([DATA_DIR_MARKER, "inputs", "outputs", "tmp"]);
    expect((await first.upload(createSampleWav({ seconds: 1 }))).status).toBe(202);
    mkdirSync(join(dir, "empty"));
    setup({ dataDir: join(dir, "empty") });
    expect(existsSync(join(dir, "empty", DATA_DIR_MARKER))).toBe(true);
    await first.emu.close();
    const lines: string[] = [];
    const again = setup({ dataDir: join(dir, "new"), logger: (l) => lines.push(l) });
    expect(again.emu.removedAtStart).toEqual([expect.stringMatching(/^inputs\/[A-Za-z0-9]+\.wav$/)]);
    expect(lines.join("\n")).toMatch(/removed 1 leftover\(s\) of an earlier run: inputs\/\w+\.wav/);
  });

  it("in a folder it made: removes only its own leftovers, says which, and leaves links (and their targets) alone", () => {
    const { dir, elsewhere } = root();
    put(join(dir, DATA_DIR_MARKER), "");
    const leftovers = ["tmp/0123456789abcdef01234567", "inputs/old1.wav", "outputs/old1/transcript.txt"];
    for (const f of leftovers) put(join(dir, f), "x");
    put(join(dir, "notes.txt"), "mine");
    put(join(dir, "inputs", "README"), "mine");
    put(join(elsewhere, "transcript.txt"), "outside");
    symlinkSync(elsewhere, join(dir, "outputs", "old2"));
    const lines: string[] = [];
    const { emu } = setup({ dataDir: dir, logger: (l) => lines.push(l) });
    for (const f of leftovers) expect(existsSync(join(dir, f)), f).toBe(false);
    expect([...emu.removedAtStart].sort()).toEqual([
      "inputs/old1.wav",
      "outputs/old1/",
      "tmp/0123456789abcdef01234567",
    ]);
    expect(lines.join("\n")).toContain("removed 3 leftover(s)");
    expect(lines.join("\n")).toContain("left symbolic links alone (not followed): outputs/old2");
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(join(dir, "inputs", "README"), "utf8")).toBe("mine");
    expect(readFileSync(join(elsewhere, "transcript.txt"), "utf8")).toBe("outside");
  });

  it("the built bin refuses a user's folder with exit 2 and a clear message, no stack trace, nothing deleted", async () => {
    const { dir, files } = userFolder();
    const { code, err } = await runBin(["--data-dir", dir]);
    expect(code).toBe(2);
    expect(err).toMatch(/^slng-emulator: refusing to use .* as the data dir: it is not empty/);
    expect(err).toContain("outputs -> ");
    expect(err).not.toMatch(/\n\s+at /);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it("the built bin says what it removed from a folder it made", async () => {
    const { dir } = root();
    put(join(dir, DATA_DIR_MARKER), "");
    put(join(dir, "inputs", "old1.wav"), "x");
    const quiet = await runBin(["--data-dir", dir, "--quiet"]);
    expect(quiet.out).toContain(`data dir: ${dir}`);
    expect(quiet.out).toContain("removed 1 leftover(s) of an earlier run there: inputs/old1.wav");
    expect(existsSync(join(dir, "inputs", "old1.wav"))).toBe(false);
  });
});
