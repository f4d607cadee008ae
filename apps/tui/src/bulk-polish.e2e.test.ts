import { type ChildProcess, spawn } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleWav } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped, runPty } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

const EMULATOR = fileURLToPath(new URL("../../../packages/emulator/dist/bin.js", import.meta.url));
const KEY = "bulkPolishKey";

let emulator: ChildProcess;
let url: string;
let dir: string;
/** Every request line the emulator logged so far (one per request). */
let requestLog = "";

function startEmulator(minStageMs = 0): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [EMULATOR, "--port", "0", "--api-key", KEY, "--rtf", "0", "--min-stage-ms", String(minStageMs)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      requestLog += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

const env = (extra: Record<string, string> = {}) => cleanEnv({ SLNG_BASE_URL: url, SLNG_API_KEY: KEY, ...extra });
const bulk = (args: string[]) => runPiped(["bulk", ...args], env());

async function recordings(root: string, names: string[], seed: number) {
  for (const [i, name] of names.entries()) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), createSampleWav({ seconds: 0.5, seed: seed + i }));
  }
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slng-bulk-polish-"));
  ({ child: emulator, url } = await startEmulator());
});

afterAll(async () => {
  emulator?.kill("SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

describe("slng-batch bulk --dry-run", () => {
  it("exits 0 on a new folder, is not 'detached', and names the input whose job an identical file would share", async () => {
    const input = join(dir, "dry-in");
    await recordings(input, ["a.wav", "b.wav"], 1);
    await writeFile(join(input, "copy-of-a.wav"), createSampleWav({ seconds: 0.5, seed: 1 }));
    const out = join(dir, "dry-out");
    const plain = await bulk([input, "--out", out, "--dry-run"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/a\.wav {2}would upload/);
    expect(plain.stdout).toMatch(/copy-of-a\.wav {2}would share the job of a\.wav/);
    const json = await bulk([input, "--out", out, "--dry-run", "--json"]);
    expect(json.code).toBe(0);
    const summary = jsonLines(json.stdout).find((e) => e.type === "summary")?.summary;
    expect(summary).toMatchObject({ detached: false, failed: [] });
  }, 30_000);

  it("exits 1 for an input it could not take (a manifest row whose file is missing)", async () => {
    const input = join(dir, "dry-missing");
    await recordings(input, ["a.wav"], 10);
    const manifest = join(dir, "dry-missing.csv");
    await writeFile(manifest, `path\n${join(input, "a.wav")}\n${join(input, "gone.wav")}\n`);
    const r = await bulk(["--manifest", manifest, "--out", join(dir, "dry-missing-out"), "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gone\.wav {2}would fail: .*does not exist/);
  }, 30_000);
});

/** The emulator's request lines logged from `from` up to a marker request sent now (so every earlier line is in). */
async function requestsSince(from: number): Promise<string[]> {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;
  await fetch(`${url}/v1/batch/jobs/${marker}`, { headers: { authorization: `Bearer ${KEY}` } });
  while (!requestLog.includes(marker)) await new Promise((r) => setImmediate(r));
  const lines = requestLog.slice(from, requestLog.lastIndexOf("\n", requestLog.indexOf(marker))).split("\n");
  return lines.filter((l) => /^(GET|POST|PUT|DELETE|HEAD) /.test(l));
}

describe("slng-batch bulk, rerun of a finished folder", () => {
  it("makes no API request at all (no key check either) and says so", async () => {
    const input = join(dir, "rerun-in");
    await recordings(input, ["a.wav", "b.wav"], 20);
    const out = join(dir, "rerun-out");
    expect((await bulk([input, "--out", out])).code).toBe(0);
    const from = requestLog.length;
    const again = await bulk([input, "--out", out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("(0 API requests)");
    expect(await requestsSince(from)).toEqual([]);
  }, 30_000);

  it("still checks the key first when something is left to do", async () => {
    const input = join(dir, "rerun-in");
    await recordings(input, ["c.wav"], 30);
    const from = requestLog.length;
    expect((await bulk([input, "--out", join(dir, "rerun-out")])).code).toBe(0);
    expect((await requestsSince(from))[0]).toMatch(/^GET \/v1\/batch\/jobs\?page_size=1 /);
  }, 30_000);
});

describe("slng-batch bulk on a terminal, resuming a folder", () => {
  it("shows the audio and the failure reason recorded by the earlier run", async () => {
    const input = join(dir, "resume-in");
    await mkdir(input, { recursive: true });
    for (let i = 0; i < 3; i++)
      await writeFile(join(input, `ok${i}.wav`), createSampleWav({ seconds: 40, seed: 40 + i }));
    await writeFile(join(input, "broken.wav"), Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVEjunk, not audio"));
    const out = join(dir, "resume-out");
    expect((await bulk([input, "--out", out])).code).toBe(1);
    const pty = runPty(process.execPath, [CLI, "bulk", input, "--out", out], env(), { cols: 100, rows: 30 });
    expect(await pty.exit).toBe(1);
    const screen = (await screenLines(pty.output(), 100, 30)).join("\n");
    expect(screen).toContain("audio done 2.0 min");
    expect(screen).toMatch(/✗ broken\.wav — The audio file could not be decoded/);
  }, 60_000);
});

describe("slng-batch bulk failures", () => {
  it("gives each kind of failure its own advice, and no job id for a file the API refused", async () => {
    const input = join(dir, "fail-in");
    await recordings(input, ["ok.wav", "taken.wav"], 50);
    await writeFile(join(input, "refused.wav"), Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"));
    const manifest = join(input, "list.csv");
    await writeFile(manifest, "path\nok.wav\ntaken.wav\nrefused.wav\ngone.wav\n");
    const out = join(dir, "fail-out");
    await mkdir(out);
    await writeFile(join(out, "taken.txt"), "mine");
    const r = await bulk(["--manifest", manifest, "--out", out]);
    expect(r.code).toBe(1);
    const refused = /✗ refused\.wav {2}(.*)/.exec(r.stdout)?.[1] ?? "";
    expect(refused).toMatch(/not audio|Unsupported/);
    expect(refused).not.toMatch(/job bk/);
    expect(r.stdout).toContain("The API refused one file (no job was made): fix or replace it");
    expect(r.stdout).toContain("One file is missing: restore it or fix the manifest");
    expect(r.stdout).toContain("One output path is in the way: move that file away, or pass --overwrite.");
    expect(r.stdout).not.toContain("--retry-failed");
    const json = await bulk(["--manifest", manifest, "--out", out, "--json"]);
    const summary = jsonLines(json.stdout).find((e) => e.type === "summary")?.summary as {
      failed: { key: string; jobId?: string; cause: string }[];
    };
    expect(summary.failed.find((f) => f.key === "refused.wav")).toMatchObject({ cause: "refused" });
    expect(summary.failed.find((f) => f.key === "refused.wav")?.jobId).toBeUndefined();
  }, 30_000);
});

describe("slng-batch bulk --out and the input folders", () => {
  it("refuses an --out that is the input folder (exit 2) before any request or write; one inside it works and is never walked", async () => {
    const input = join(dir, "mix");
    await recordings(input, ["a.wav"], 60);
    const from = requestLog.length;
    const same = await bulk([input, "--out", input]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--out .* is the input folder .*Choose an --out outside it/);
    expect(await requestsSince(from)).toEqual([]);
    expect(await readdir(input)).toEqual(["a.wav"]);
    const inside = join(input, "transcripts");
    const first = await bulk([input, "--out", inside]);
    expect(first.code, first.stderr).toBe(0);
    const again = await bulk([input, "--out", inside, "--dry-run"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/skipped .*non-audio/);
  }, 120_000);

  it("names skipped files relative to the input folder given, not the working directory", async () => {
    const input = join(dir, "mix2");
    await recordings(input, ["a.wav"], 70);
    await mkdir(join(input, "docs"));
    await writeFile(join(input, "docs", "notes.txt"), "not audio");
    const r = await bulk([input, "--out", join(dir, "mix2-out"), "--dry-run"]);
    expect(r.stdout).toMatch(/skipped 1 non-audio file: docs\/notes\.txt\n/);
  }, 30_000);
});

describe("slng-batch bulk | head -1", () => {
  it("stops cleanly when the reader goes away: exit 141, quiet, lock released, report written, a rerun resumes", async () => {
    // Each stage lasts 3 s, so lines are still to come when the reader goes away.
    const slow = await startEmulator(3000);
    try {
      const input = join(dir, "pipe-in");
      await recordings(input, ["a.wav", "b.wav", "c.wav"], 80);
      const out = join(dir, "pipe-out");
      const args = [CLI, "bulk", input, "--out", out];
      const envSlow = cleanEnv({ SLNG_BASE_URL: slow.url, SLNG_API_KEY: KEY });
      const r = await new Promise<{ code: number | null; signal: string | null; first: string; stderr: string }>(
        (resolve) => {
          const child = spawn(process.execPath, args, { env: envSlow, stdio: ["ignore", "pipe", "pipe"] });
          let first = "";
          let stderr = "";
          child.stdout.once("data", (d) => {
            first = String(d).split("\n")[0] ?? "";
            child.stdout.destroy();
          });
          child.stderr.on("data", (d) => {
            stderr += d;
          });
          child.on("close", (code, signal) => resolve({ code, signal, first, stderr }));
        },
      );
      expect(r.first).toMatch(/plan: 3 inputs/);
      expect(r.code).toBe(141);
      expect(r.stderr).toBe("");
      expect(await lstat(join(out, ".slng-bulk.lock")).catch(() => undefined)).toBeUndefined();
      expect((await lstat(join(out, "bulk-report.json"))).isFile()).toBe(true);
      const again = await runPiped(["bulk", input, "--out", out, "--json"], envSlow);
      expect(again.code).toBe(0);
      expect(jsonLines(again.stdout).find((e) => e.type === "plan")).toMatchObject({ total: 3 });
    } finally {
      slow.child.kill("SIGTERM");
    }
  }, 90_000);
});
