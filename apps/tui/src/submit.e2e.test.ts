import { spawn as spawnChild } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPiped as runBuilt } from "./test-utils/cli-process.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const MB = 1_000_000;

let emulator: Emulator;
let url: string;
let proxy: Server;
let slowUrl: string;
let dir: string;
/** The emulator's request log: `METHOD /path -> status …`. */
const requests: string[] = [];

/** Reads request bodies at about `bytesPerSecond`, so an upload takes seconds. */
function throttle(bytesPerSecond: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      setTimeout(() => done(null, chunk), (chunk.byteLength / bytesPerSecond) * 1000);
    },
  });
}

/** A proxy in front of the emulator that reads uploads slowly (Host kept, so signed URLs point back at it). */
function slowProxy(target: string, bytesPerSecond: number): Server {
  const to = new URL(target);
  return createServer((req, res) => {
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    pipeline(req, throttle(bytesPerSecond), out).catch(() => res.destroy());
  });
}

function env(base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("SLNG_") && !k.startsWith("VITEST") && k !== "CI" && k !== "NODE_ENV")
      out[k] = v;
  return { ...out, TERM: "xterm-256color", SLNG_BASE_URL: base };
}

function runPiped(
  args: string[],
  base: string,
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runBuilt(args, { ...env(base), ...extra });
}

type Event = { type: string; phase?: string; loaded?: number; total?: number; bytes_per_second?: number };
const events = (stdout: string): Event[] =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);

const made = new Map<string, { path: string; size: number }>();

/** A WAV of about `bytes` bytes (16 kHz 16-bit mono: 32 000 bytes a second), made once per name. */
async function wavFile(name: string, bytes: number): Promise<{ path: string; size: number }> {
  const known = made.get(name);
  if (known) return known;
  const wav = createSampleWav({ seconds: Math.max(1, Math.round(bytes / 32_000)) });
  const path = join(dir, name);
  await writeFile(path, wav);
  made.set(name, { path, size: wav.byteLength });
  return { path, size: wav.byteLength };
}

/** Every job the emulator has, by the demo key. */
async function emulatorJobs(): Promise<unknown[]> {
  const res = await fetch(`${url}/v1/batch/jobs?page_size=100`, {
    headers: { Authorization: `Bearer ${DEFAULT_API_KEY}` },
  });
  return ((await res.json()) as { items: unknown[] }).items;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0, minStageMs: 0, logger: (line) => requests.push(line) });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  proxy = slowProxy(url, 2 * MB);
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  slowUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), "slng-submit-e2e-"));
});

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("slng-batch submit against the emulator", () => {
  it("--json: progress totals are the file's size, not the multipart body's", async () => {
    const { path, size } = await wavFile("small.wav", 64_000);
    const r = await runPiped(["submit", path, "--json"], url);
    expect(r.code, r.stderr).toBe(0);
    const all = events(r.stdout);
    const progress = all.filter((e) => e.type === "upload_progress");
    expect(progress.length).toBeGreaterThan(0);
    for (const e of progress) expect(e.total).toBe(size);
    expect(progress.some((e) => e.phase === "presign")).toBe(false);
    expect(progress.at(-1)).toMatchObject({ phase: "create", loaded: size });
    expect(all.at(-1)).toMatchObject({ type: "submitted", status: "QUEUED" });
  });

  it("--json through a slow link: the upload streams, with an update every second along the way", async () => {
    const { path, size } = await wavFile("slow.wav", 14 * MB);
    const r = await runPiped(["submit", path, "--json"], slowUrl);
    expect(r.code, r.stderr).toBe(0);
    const uploading = events(r.stdout).filter((e) => e.type === "upload_progress" && e.phase === "upload");
    const partial = uploading.filter((e) => (e.loaded ?? 0) > 0 && (e.loaded ?? 0) < size);
    // ~7 s at 2 MB/s, of which the first ~5 MB land in socket buffers at once. Through the
    // buffering fetch path there is no byte count until the end.
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(new Set(partial.map((e) => e.loaded)).size).toBeGreaterThanOrEqual(3);
    expect(partial.some((e) => (e.bytes_per_second ?? 0) > 0)).toBe(true);
    for (const e of uploading) expect(e.total).toBe(size);
  });

  it("--json above the presign threshold: presign, then the PUT's progress, totals the file's size", async () => {
    const { path, size } = await wavFile("big.wav", 40 * MB);
    const r = await runPiped(["submit", path, "--json"], url);
    expect(r.code, r.stderr).toBe(0);
    const progress = events(r.stdout).filter((e) => e.type === "upload_progress");
    expect(progress.slice(0, 2)).toEqual([
      expect.objectContaining({ phase: "check", loaded: 0, total: size }),
      expect.objectContaining({ phase: "presign", loaded: 0, total: size }),
    ]);
    expect(progress.some((e) => e.phase === "upload")).toBe(true);
    for (const e of progress) expect(e.total).toBe(size);
    expect(progress.at(-1)).toMatchObject({ phase: "create", loaded: size });
  });

  it("on a terminal, the bar moves through the upload and names the right step", async () => {
    const { path } = await wavFile("tty.wav", 10 * MB);
    const pty = spawnPty(process.execPath, [CLI, "submit", path], { cols: 80, rows: 24, env: env(slowUrl) });
    let out = "";
    pty.onData((d) => {
      out += d;
    });
    const code = await new Promise<number>((r) => pty.onExit(({ exitCode }) => r(exitCode)));
    const text = out.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g"), "");
    expect(code, text).toBe(0);
    expect(text).not.toContain("requesting upload URL");
    const percents = new Set([...text.matchAll(/(\d+)% +[\d.]+ (?:B|KiB|MiB) \/ 9\.\d MiB/g)].map((m) => m[1]));
    expect(percents.size, text).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/MiB\/s · 0:0\d left/);
    expect(text).toMatch(/Submitted job \w+ \(QUEUED\)/);
  });

  it("a wrong key is found before the upload: exit 3, no byte sent, the key never printed", async () => {
    const { path } = await wavFile("big.wav", 40 * MB);
    requests.length = 0;
    const r = await runPiped(["submit", path], url, { SLNG_API_KEY: "wrongSecretKey123" });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/Not authorised \(403\)/);
    expect(r.stderr + r.stdout).not.toContain("wrongSecretKey123");
    expect(requests.filter((l) => !l.startsWith("GET "))).toEqual([]);
  });

  it("a job id already in use is refused before the upload: exit 2, no POST", async () => {
    const first = await wavFile("first.wav", 64_000);
    const created = await runPiped(["submit", first.path, "--job-id", "dupCheck1"], url);
    expect(created.code, created.stderr).toBe(0);
    const { path } = await wavFile("big.wav", 40 * MB);
    requests.length = 0;
    const r = await runPiped(["submit", path, "--job-id", "dupCheck1"], url);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('job id "dupCheck1" is already taken');
    expect(requests).toEqual([expect.stringMatching(/^GET \/v1\/batch\/jobs\/dupCheck1 -> 200/)]);
  });

  it("bad --language and --model are refused before any request", async () => {
    const { path } = await wavFile("args.wav", 64_000);
    requests.length = 0;
    for (const args of [
      ["--language", ""],
      ["--language", "xx-JUNK!!"],
      ["--model", "not a model"],
    ]) {
      const r = await runPiped(["submit", path, ...args], url);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--(language|model) must be/);
    }
    expect(requests).toEqual([]);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("%s during the upload (no terminal): exit 130, no job", async (signal) => {
    const { path } = await wavFile("slow.wav", 14 * MB);
    const before = (await emulatorJobs()).length;
    const child = spawnChild(process.execPath, [CLI, "submit", path, "--json"], {
      env: env(slowUrl),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = new Promise<number>((r) => child.on("close", (c) => r(c ?? -1)));
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d) => {
        out += d;
        if (/"phase":"upload","loaded":[1-9]/.test(out)) resolve();
      }),
    );
    child.kill(signal);
    expect(await code).toBe(130);
    // Under --json every outcome is a JSON line on stdout, the interruption too.
    const last = JSON.parse(out.trim().split("\n").at(-1) as string);
    expect(last).toMatchObject({
      type: "error",
      exit_code: 130,
      message: "interrupted: the upload was cancelled, no job was created.",
    });
    expect(err).toBe("");
    await new Promise((r) => setTimeout(r, 500));
    expect((await emulatorJobs()).length).toBe(before);
  });
});
