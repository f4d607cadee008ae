import { type ChildProcess, spawn } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSlngClient } from "@slng/client";
import { createSampleWav } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv } from "./test-utils/cli-process.js";

const EMULATOR = fileURLToPath(new URL("../../../packages/emulator/dist/bin.js", import.meta.url));
const KEY = "bulkSafetyKey";

let emulator: ChildProcess;
let url: string;
let dir: string;

function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [EMULATOR, "--port", "0", "--api-key", KEY, "--rtf", "0", "--min-stage-ms", "0", "-q"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI in pipes (not a terminal). */
function bulk(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "bulk", ...args], {
      env: cleanEnv({ SLNG_BASE_URL: url, SLNG_API_KEY: KEY, ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function recordings(root: string, names: string[], seed: number) {
  for (const [i, name] of names.entries()) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), createSampleWav({ seconds: 0.5, seed: seed + i }));
  }
}

async function jobCount(): Promise<number> {
  const client = createSlngClient({ apiKey: KEY, baseUrl: url });
  let n = 0;
  for await (const _ of client.jobs.list({ pageSize: 100 })) n++;
  return n;
}

const gone = (p: string) =>
  lstat(p).then(
    () => false,
    () => true,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slng-bulk-safety-"));
  ({ child: emulator, url } = await startEmulator());
});

afterAll(async () => {
  emulator?.kill("SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

describe("slng-batch bulk checks the key before anything", () => {
  it("a wrong key exits 3 naming the problem, with no output folder or journal made", async () => {
    await recordings(join(dir, "key-in"), ["a.wav"], 1);
    const out = join(dir, "key-out");
    const plain = await bulk([join(dir, "key-in"), "--out", out], { SLNG_API_KEY: "wrongKey" });
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/40[13]|key|authori[sz]/i);
    expect(plain.stderr + plain.stdout).not.toContain("wrongKey");
    expect(plain.stdout).not.toContain("in flight");
    expect(await gone(out)).toBe(true);
    const json = await bulk([join(dir, "key-in"), "--out", out, "--json"], { SLNG_API_KEY: "wrongKey" });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout.trim().split("\n").pop() as string)).toMatchObject({ type: "error" });
    expect(await gone(out)).toBe(true);
  }, 120_000);

  it("an API that does not answer exits 3 with nothing counted in flight and no output folder", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const out = join(dir, "dead-out");
    const r = await bulk([join(dir, "key-in"), "--out", out], { SLNG_BASE_URL: `http://127.0.0.1:${closed}` });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unreachable/i);
    expect(r.stdout).not.toContain("in flight");
    expect(await gone(out)).toBe(true);
  }, 120_000);
});

describe("slng-batch bulk and the output folder", () => {
  it("refuses another host's lock naming host and pid, without the 'folder you can write' hint (exit 2)", async () => {
    await recordings(join(dir, "lock-in"), ["a.wav"], 10);
    const out = join(dir, "lock-out");
    await mkdir(out);
    const holder = { pid: 4242, host: "render-box-7", started: "2026-01-01T00:00:00.000Z", id: "abc" };
    await writeFile(join(out, ".slng-bulk.lock"), JSON.stringify(holder));
    const r = await bulk([join(dir, "lock-in"), "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/process 4242 on host render-box-7/);
    expect(r.stdout + r.stderr).not.toMatch(/--out folder you can write/);
  }, 120_000);

  it("leaves a file it did not write alone and reports it (exit 1, nothing sent for it); --overwrite replaces it", async () => {
    await recordings(join(dir, "own-in"), ["a.wav", "b.wav"], 20);
    const out = join(dir, "own-out");
    await mkdir(out);
    await writeFile(join(out, "a.txt"), "my own notes");
    const before = await jobCount();
    const r = await bulk([join(dir, "own-in"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ a\.wav {2}.*a\.txt exists and was not written by this bulk run.*--overwrite/);
    expect(await readFile(join(out, "a.txt"), "utf8")).toBe("my own notes");
    expect(await jobCount()).toBe(before + 1);
    const again = await bulk([join(dir, "own-in"), "--out", out, "--overwrite"]);
    expect(again.code).toBe(0);
    expect(await readFile(join(out, "a.txt"), "utf8")).not.toBe("my own notes");
  }, 120_000);

  it("writes nothing through a symlinked folder inside --out", async () => {
    await recordings(join(dir, "link-in"), ["linked/x.wav"], 30);
    const out = join(dir, "link-out");
    await mkdir(join(dir, "elsewhere"), { recursive: true });
    await mkdir(out);
    await symlink(join(dir, "elsewhere"), join(out, "linked"));
    const r = await bulk([join(dir, "link-in"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/leads outside the output folder/);
    expect(await readdir(join(dir, "elsewhere"))).toEqual([]);
  }, 120_000);
});

describe("slng-batch bulk inputs", () => {
  it("identical recordings make one job, each is saved, and 'audio saved' counts their audio once", async () => {
    const wav = createSampleWav({ seconds: 2, seed: 60 });
    await mkdir(join(dir, "same-in"), { recursive: true });
    for (const name of ["a.wav", "copy-of-a.wav"]) await writeFile(join(dir, "same-in", name), wav);
    const before = await jobCount();
    const r = await bulk([join(dir, "same-in"), "--out", join(dir, "same-out")]);
    expect(r.code).toBe(0);
    expect(await jobCount()).toBe(before + 1);
    const a = await readFile(join(dir, "same-out", "a.txt"), "utf8");
    expect(await readFile(join(dir, "same-out", "copy-of-a.txt"), "utf8")).toBe(a);
    const report = JSON.parse(await readFile(join(dir, "same-out", "bulk-report.json"), "utf8"));
    const seconds = report.inputs[0].audio_seconds as number;
    expect(seconds).toBeGreaterThan(1);
    expect(report.audio_seconds_done).toBe(seconds);
    expect(r.stdout).toMatch(new RegExp(`audio saved +${seconds.toFixed(1)} s\\n`));
  }, 120_000);

  it("does not upload a symlink leading outside the folder, and says so (a JSON warning with --json)", async () => {
    await recordings(join(dir, "sym-in"), ["real.wav"], 40);
    await writeFile(join(dir, "secret.txt"), "not for upload");
    await symlink(join(dir, "secret.txt"), join(dir, "sym-in", "exfil.wav"));
    const before = await jobCount();
    const r = await bulk([join(dir, "sym-in"), "--out", join(dir, "sym-out")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: skipped 1 symlink leading outside .*--follow-symlinks/);
    expect(await jobCount()).toBe(before + 1);
    expect(await gone(join(dir, "sym-out", "exfil.txt"))).toBe(true);
    const json = await bulk([join(dir, "sym-in"), "--out", join(dir, "sym-out"), "--json"]);
    const first = JSON.parse(json.stdout.split("\n")[0] as string);
    expect(first).toMatchObject({ type: "warning", message: expect.stringMatching(/skipped 1 symlink/) });
  }, 120_000);

  it("a URL in a manifest's path column: https is taken as a URL, another is refused naming the url column (exit 2)", async () => {
    await mkdir(join(dir, "man"), { recursive: true });
    await writeFile(join(dir, "man", "list.csv"), "path\nftp://example.com/x.wav\n");
    const r = await bulk(["--manifest", join(dir, "man", "list.csv"), "--out", join(dir, "man-out"), "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/put URLs in the url column/);
    expect(r.stderr).not.toMatch(/does not exist/);
    await writeFile(join(dir, "man", "list.csv"), "path\nhttps://example.com/x.wav\n../outside.txt\n");
    const ext = await bulk(["--manifest", join(dir, "man", "list.csv"), "--out", join(dir, "man-out"), "--dry-run"]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toMatch(/outside\.txt" is not a supported audio file.*--any-extension/);
  }, 120_000);
});
