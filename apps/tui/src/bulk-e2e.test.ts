import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";
import { createSlngClient } from "@slng/client";
import { createSampleWav } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const EMULATOR = fileURLToPath(new URL("../../../packages/emulator/dist/bin.js", import.meta.url));
const KEY = "bulkE2eKey";
const RECORDINGS = 52;

let emulator: ChildProcess;
let url: string;
let dir: string;

/** The built emulator as its own process with a --data-dir, so it outlives every kill of the CLI. */
function startEmulator(dataDir: string, faultKinds: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        EMULATOR,
        ...["--port", "0", "--api-key", KEY, "--data-dir", dataDir, "--rtf", "0.05", "--min-stage-ms", "60"],
        ...["--fault-rate", "0.1", "--fault-seed", "5", "--fault-kinds", faultKinds, "-q"],
      ],
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

/** The `lost` fault kind (request applied, answer dropped) when this emulator build has it. */
async function faultKinds(): Promise<string> {
  const help = await new Promise<string>((resolve) => {
    const c = spawn(process.execPath, [EMULATOR, "--help"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    c.stdout?.on("data", (d) => {
      out += d;
    });
    c.on("close", () => resolve(out));
  });
  return /\blost\b/.test(help) ? "500,503,429,drop,lost" : "500,503,429,drop";
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  events: Record<string, unknown>[];
}

/** Runs the built CLI; `killWhen` sees each --json event and returns true to SIGKILL the process there. */
function runCli(args: string[], killWhen?: (e: Record<string, unknown>, seen: Record<string, unknown>[]) => boolean) {
  return new Promise<CliRun>((resolve) => {
    const child = spawn(process.execPath, [CLI, "bulk", ...args], {
      env: { PATH: process.env.PATH ?? "", SLNG_BASE_URL: url, SLNG_API_KEY: KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let pending = "";
    const events: Record<string, unknown>[] = [];
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        let e: Record<string, unknown>;
        try {
          e = JSON.parse(line);
        } catch {
          continue;
        }
        events.push(e);
        if (killWhen?.(e, events) && child.exitCode === null) child.kill("SIGKILL");
      }
    });
    child.stderr?.on("data", (d) => {
      stdout += d;
    });
    child.on("close", (code, signal) => resolve({ code, signal, stdout, events }));
  });
}

const count = (events: Record<string, unknown>[], state: string) =>
  events.filter((e) => e.type === "input" && e.state === state).length;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slng-bulk-e2e-"));
  ({ child: emulator, url } = await startEmulator(join(dir, "emulator-data"), await faultKinds()));
  for (let i = 0; i < RECORDINGS; i++) {
    const rel = `in/team${i % 3}/week${i % 4}/day${i % 2}/call${String(i).padStart(2, "0")}.wav`;
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    // The first few (in walk order) are ~1.4 MB, so the first kill lands in the middle of uploads.
    const seconds = i % 3 === 0 && i < 18 ? 45 : 0.4 + (i % 5) * 0.3;
    await writeFile(join(dir, rel), createSampleWav({ seconds, seed: i + 1 }));
  }
});

afterAll(async () => {
  emulator?.kill("SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

describe("slng-batch bulk, killed with SIGKILL and rerun", () => {
  it("ends with exactly one job per recording and every transcript byte-identical to the API's", async () => {
    const args = [join(dir, "in"), "--out", join(dir, "out"), "--json", "--concurrency", "6"];
    const killPoints: ((e: Record<string, unknown>, seen: Record<string, unknown>[]) => boolean)[] = [
      (e) => e.type === "upload_progress" && Number(e.loaded) > 0 && Number(e.loaded) < Number(e.total),
      (_, seen) => count(seen, "queued") >= 4 && count(seen, "uploading") > count(seen, "queued"),
      (e) => e.type === "input" && e.state === "downloading",
      (_, seen) => count(seen, "done") >= 8,
    ];
    const runs: CliRun[] = [];
    for (const killWhen of killPoints) runs.push(await runCli(args, killWhen));
    expect(runs.filter((r) => r.signal === "SIGKILL").length).toBeGreaterThanOrEqual(3);
    let last: CliRun | undefined;
    for (let i = 0; i < 6 && last?.code !== 0; i++) last = await runCli(args);
    expect(last?.stdout.slice(-2000)).toMatch(/"type":"summary"/);
    expect(last?.code).toBe(0);

    const client = createSlngClient({ apiKey: KEY, baseUrl: url, maxRetries: 10 });
    const jobs = [];
    for await (const job of client.jobs.list({ pageSize: 100 })) jobs.push(job);
    expect(jobs).toHaveLength(RECORDINGS);
    const report = JSON.parse(await readFile(join(dir, "out", "bulk-report.json"), "utf8"));
    expect(report.inputs).toHaveLength(RECORDINGS);
    const ids = new Set(jobs.map((j) => j.job_id));
    for (const row of report.inputs as { input: string; job_id: string; status: string }[]) {
      expect(row.status).toBe("done");
      expect(ids.has(row.job_id)).toBe(true);
      const files = await client.jobs.files(row.job_id);
      const link = files.outputs.find((o) => o.format === "txt")?.download_url as string;
      const served = await (await fetch(link)).text();
      expect(await readFile(join(dir, "out", row.input.replace(/\.wav$/, ".txt")), "utf8")).toBe(served);
    }

    const { readdir } = await import("node:fs/promises");
    const leftovers = (await readdir(join(dir, "out"), { recursive: true })).filter((f) => /\.tmp-/.test(String(f)));
    expect(leftovers).toEqual([]);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    const summary = again.events.find((e) => e.type === "summary")?.summary as { requests: number };
    expect(summary.requests).toBe(0);
    const after = [];
    for await (const job of client.jobs.list({ pageSize: 100 })) after.push(job);
    expect(after).toHaveLength(RECORDINGS);
  }, 120_000);

  it("a folder with one undecodable file exits 1 naming it, the others saved", async () => {
    await mkdir(join(dir, "mixed"), { recursive: true });
    for (let i = 0; i < 4; i++)
      await writeFile(join(dir, "mixed", `ok${i}.wav`), createSampleWav({ seconds: 0.5, seed: 100 + i }));
    await writeFile(join(dir, "mixed", "broken.wav"), Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVEjunk, not audio"));
    const run = await runCli([join(dir, "mixed"), "--out", join(dir, "mixed-out")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Failed \(1\):\n {2}✗ broken\.wav {2}job bk\w+ {2}\S/);
    for (let i = 0; i < 4; i++) expect(await readFile(join(dir, "mixed-out", `ok${i}.txt`), "utf8")).not.toBe("");
  }, 120_000);
});

/** The CLI in a real pseudo-terminal (100×30); resolves with everything it drew and its exit code. */
function runInPty(args: string[], onData?: (all: string, write: (d: string) => void) => void) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const pty = spawnPty(process.execPath, [CLI, "bulk", ...args], {
      name: "xterm-256color",
      cols: 100,
      rows: 30,
      env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", SLNG_BASE_URL: url, SLNG_API_KEY: KEY },
    });
    let out = "";
    pty.onData((d) => {
      out += d;
      onData?.(out, (k) => pty.write(k));
    });
    pty.onExit(({ exitCode }) => resolve({ code: exitCode, out }));
  });
}

const ESC = String.fromCharCode(27);
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g"), "");

describe("slng-batch bulk on a terminal", () => {
  it("draws the view, ends with the summary, exit 0, cursor shown again", async () => {
    await mkdir(join(dir, "tty"), { recursive: true });
    for (let i = 0; i < 5; i++)
      await writeFile(join(dir, "tty", `t${i}.wav`), createSampleWav({ seconds: 0.5, seed: 300 + i }));
    const { code, out } = await runInPty([join(dir, "tty"), "--out", join(dir, "tty-out")]);
    expect(code).toBe(0);
    expect(plain(out)).toContain("slng-batch bulk");
    expect(plain(out)).toContain("✓ all 5 saved");
    expect(plain(out)).toMatch(/done\s+5/);
    expect(out.lastIndexOf(`${ESC}[?25h`)).toBeGreaterThan(out.lastIndexOf(`${ESC}[?25l`));
  }, 120_000);

  it("q detaches: the jobs keep running, exit 0, and a rerun resumes them", async () => {
    await mkdir(join(dir, "tty-q"), { recursive: true });
    for (let i = 0; i < 8; i++)
      await writeFile(join(dir, "tty-q", `q${i}.wav`), createSampleWav({ seconds: 30, seed: 400 + i }));
    let sent = false;
    const { code, out } = await runInPty([join(dir, "tty-q"), "--out", join(dir, "tty-q-out")], (all, write) => {
      if (!sent && /queued [1-9]/.test(plain(all))) {
        sent = true;
        write("q");
      }
    });
    expect(sent).toBe(true);
    expect(code).toBe(0);
    expect(plain(out)).toContain("Detached: the jobs in flight keep running");
    const rerun = await runCli([join(dir, "tty-q"), "--out", join(dir, "tty-q-out"), "--json"]);
    expect(rerun.code).toBe(0);
    expect(rerun.events.some((e) => e.type === "input" && e.reason === "resumed")).toBe(true);
  }, 120_000);
});
