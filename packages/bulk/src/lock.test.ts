import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BulkLockError, LOCK_FILE, lockDir } from "./lock.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slng-lock-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
async function folder(lock?: string): Promise<string> {
  const made = await mkdtemp(join(dir, "f-"));
  if (lock !== undefined) await writeFile(join(made, LOCK_FILE), lock);
  return made;
}
const stale = (i: number) =>
  i % 2 === 0
    ? "999999999"
    : JSON.stringify({ pid: 999999999, host: hostname(), started: "2026-01-01T00:00:00.000Z", id: `dead${i}` });

describe("lockDir", () => {
  it("writes pid, host and start time, and releases only its own lock", async () => {
    const d = await folder();
    const release = await lockDir(d);
    const held = JSON.parse(await readFile(join(d, LOCK_FILE), "utf8"));
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), started: expect.stringMatching(/^\d{4}-/) });
    await release();
    expect(await readdir(d)).toEqual([]);
  });

  it("refuses another host's lock, naming the host and pid, even when that pid is not running here", async () => {
    const lock = { pid: 999999999, host: "render-box-7", started: "2026-01-01T00:00:00.000Z", id: "x1" };
    const d = await folder(JSON.stringify(lock));
    const err = await lockDir(d).catch((e) => e);
    expect(err).toBeInstanceOf(BulkLockError);
    expect(err.message).toMatch(/process 999999999 on host render-box-7/);
    expect(err.message).not.toMatch(/--out folder you can write/);
    expect(JSON.parse(await readFile(join(d, LOCK_FILE), "utf8"))).toEqual(lock);
  });

  it("refuses a live process of this host and takes over a dead one's", async () => {
    const live = await folder(JSON.stringify({ pid: process.ppid, host: hostname(), started: "", id: "live" }));
    await expect(lockDir(live)).rejects.toThrow(/another bulk run \(process \d+\) is using this output folder/);
    const dead = await folder(stale(1));
    const release = await lockDir(dead);
    expect(JSON.parse(await readFile(join(dead, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await release();
  });

  it("takes over an empty lock file (an older version killed before it wrote its pid)", async () => {
    const d = await folder("");
    const release = await lockDir(d);
    expect(JSON.parse(await readFile(join(d, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await release();
  });

  it.runIf(process.platform === "linux")("takes over a lock whose pid now belongs to a newer process", async () => {
    const reused = { pid: process.ppid, host: hostname(), started: "", procStart: "1", id: "old" };
    const d = await folder(JSON.stringify(reused));
    const release = await lockDir(d);
    await release();
  });

  it("removes break-locks a killed process left behind", async () => {
    const d = await folder(stale(2));
    await writeFile(join(d, `${LOCK_FILE}.break-legacy-999999999`), stale(3));
    const release = await lockDir(d);
    expect((await readdir(d)).sort()).toEqual([LOCK_FILE]);
    await release();
  });
});

/** A fresh process that, told `go` on stdin, takes the lock in the folder given and says `taken` or `refused`; the holder keeps it until stdin ends. */
const CHILD = `
import { lockDir } from "./lock.mjs";
import { createInterface } from "node:readline";
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
console.log("ready");
await lines.next();
let release;
try {
  release = await lockDir(process.argv[2]);
  console.log("taken");
} catch (e) {
  console.log(/another bulk run/.test(e.message) ? "refused" : "error " + e.message);
}
while (!(await lines.next()).done);
await release?.();
`;

/** Starts the child on `folder`; `said(n)` resolves with its n-th line. */
function child(script: string, folder: string) {
  const proc = spawn(process.execPath, [script, folder], { stdio: ["pipe", "pipe", "inherit"] });
  const lines: string[] = [];
  const waiting: (() => void)[] = [];
  let buf = "";
  proc.stdout?.on("data", (d: Buffer) => {
    buf += d;
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
    for (const w of waiting.splice(0)) w();
  });
  const exited = new Promise<void>((resolve) =>
    proc.once("exit", () => {
      for (const w of waiting.splice(0)) w();
      resolve();
    }),
  );
  const said = async (n: number): Promise<string> => {
    while (lines.length < n && proc.exitCode === null) await new Promise<void>((r) => waiting.push(r));
    return lines[n - 1] ?? "exited";
  };
  return { said, go: () => proc.stdin?.write("go\n"), end: () => proc.stdin?.end(), exited };
}

describe("two processes started together over a stale lock", () => {
  it("never both run: in 50 tries exactly one takes it and the other is refused", async () => {
    const work = await mkdtemp(join(tmpdir(), "slng-lock-race-"));
    const source = process.env.SLNG_LOCK_UNDER_TEST ?? fileURLToPath(new URL("./lock.ts", import.meta.url));
    await build({
      entryPoints: [source],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: join(work, "lock.mjs"),
      logLevel: "silent",
    });
    const script = join(work, "child.mjs");
    await writeFile(script, CHILD);
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        const d = await folder(stale(i));
        const pair = [child(script, d), child(script, d)];
        await Promise.all(pair.map((c) => c.said(1)));
        for (const c of pair) c.go();
        outcomes.push((await Promise.all(pair.map((c) => c.said(2)))).sort().join("+"));
        for (const c of pair) c.end();
        await Promise.all(pair.map((c) => c.exited));
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    expect(outcomes.filter((o) => o !== "refused+taken")).toEqual([]);
    // 100 process starts: about 30 s on a quiet 2-core machine, several minutes on a busy one.
  }, 600_000);
});
