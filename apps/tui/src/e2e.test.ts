import { existsSync } from "node:fs";
import { spawn as spawnPty } from "@lydell/node-pty";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped, strip } from "./test-utils/cli-process.js";

let emulator: Emulator;
let url: string;

interface PtyRun {
  output: () => string;
  write: (data: string) => void;
  exit: Promise<number>;
  waitFor: (pattern: RegExp | string, timeoutMs?: number) => Promise<void>;
}

function runPty(file: string, args: string[], env: Record<string, string>, size = { cols: 100, rows: 30 }): PtyRun {
  const pty = spawnPty(file, args, {
    name: "xterm-256color",
    cols: size.cols,
    rows: size.rows,
    cwd: process.cwd(),
    env,
  });
  let out = "";
  pty.onData((d) => {
    out += d;
  });
  const exit = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    output: () => out,
    write: (d) => pty.write(d),
    exit,
    waitFor: async (pattern, timeoutMs = 15_000) => {
      const start = Date.now();
      while (!(typeof pattern === "string" ? strip(out).includes(pattern) : pattern.test(strip(out)))) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

async function createJob(seconds: number, metadata?: Record<string, unknown>, base = url): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: base });
  const ack = await slng.jobs.create({
    file: createSampleWav({ seconds }),
    filename: "test.wav",
    config: { language: "en" },
    tracking: { title: "e2e" },
    ...(metadata ? { metadata } : {}),
  });
  return ack.job_id;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  // 0.5 s of processing per second of audio: a 2 s clip takes ~1 s, a 120 s clip ~60 s.
  emulator = createEmulator({ rtf: 0.5, minStageMs: 150 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
});

afterAll(async () => {
  await emulator?.close();
});

describe("slng-batch in a real terminal (node-pty)", () => {
  it("demo runs to DONE with the transcript and exit 0, no key and no network", async () => {
    const run = runPty(process.execPath, [CLI, "demo", "--seconds", "3"], cleanEnv());
    const code = await run.exit;
    const out = strip(run.output());
    expect(code, out).toBe(0);
    expect(out).toContain("submitted as");
    expect(out).toContain("100%");
    expect(out).toMatch(/✓ DONE/);
    expect(out).toContain("exit code 0");
    expect(out).toMatch(/Transcript of \w+:\r?\n\S/);
    expect(run.output()).toContain("\u001b[?25h");
  });

  it("watch of a failing job shows the error and exits 1", async () => {
    const id = await createJob(2, { emulator: { fail: "Audio could not be decoded (e2e)" } });
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }));
    const code = await run.exit;
    const out = strip(run.output());
    expect(code, out).toBe(1);
    expect(out).toContain("Error: Audio could not be decoded (e2e)");
    expect(out).toContain("exit code 1");
  });

  // Ctrl+C at once hits the plain-text frames drawn before Ink loads (a signal: the terminal is
  // still cooked); after Ink's first frame (it hides the cursor) it is a key. Both end the same way.
  it.each([
    ["on the first frame, before Ink", ""],
    ["once Ink draws", "\u001b[?25l"],
  ])(
    "Ctrl+C %s exits 130 with the final frame and restores the terminal (cursor shown, no raw mode)",
    async (_when, after) => {
      const id = await createJob(120);
      const script = `node ${JSON.stringify(CLI)} watch ${id}; echo "EXIT=$?"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo`;
      const run = runPty("/bin/bash", ["--norc", "--noprofile", "-c", script], cleanEnv({ SLNG_BASE_URL: url }));
      await run.waitFor(/IN_PROGRESS|QUEUED/);
      await run.waitFor("? help");
      while (!run.output().includes(after)) await new Promise((r) => setTimeout(r, 20));
      run.write("\u0003");
      await run.exit;
      const raw = run.output();
      const out = strip(raw);
      expect(out).toContain("EXIT=130");
      expect(out).toContain("interrupted (the job keeps running) · exit code 130");
      expect(out).toMatch(/\bicanon echo\b/);
      expect(out).not.toMatch(/-icanon|-echo\b/);
      const before = raw.slice(0, raw.indexOf("EXIT=130"));
      expect(before.lastIndexOf("\u001b[?25h")).toBeGreaterThanOrEqual(before.lastIndexOf("\u001b[?25l"));
      if (after) expect(before).toContain("\u001b[?25h");
    },
  );

  it("q leaves the job running and exits 0", async () => {
    const id = await createJob(120);
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: url }), { cols: 80, rows: 24 });
    await run.waitFor("? help");
    run.write("q");
    expect(await run.exit).toBe(0);
    expect(strip(run.output())).toContain("stopped watching (the job keeps running)");
  });

  it("rides out injected 503s and dropped connections", async () => {
    const own = createEmulator({ rtf: 0.5, minStageMs: 150 });
    const { url: ownUrl } = await own.listen({ host: "127.0.0.1", port: 0 });
    const id = await createJob(2, undefined, ownUrl);
    own.forceFault("503", { count: 3, match: new RegExp(`/jobs/${id}$`) });
    own.forceFault("drop", { count: 1, match: new RegExp(`/jobs/${id}$`) });
    const run = runPty(process.execPath, [CLI, "watch", id], cleanEnv({ SLNG_BASE_URL: ownUrl }));
    const code = await run.exit;
    await own.close();
    const out = strip(run.output());
    expect(code, out).toBe(0);
    expect(out).toMatch(/API (unreachable|error)/);
    expect(out).toContain("exit code 0");
  });
});

describe("slng-batch without a terminal", () => {
  it("prints timestamped lines and a summary, exit 0", async () => {
    const id = await createJob(1);
    const { code, stdout } = await runPiped(["watch", id], cleanEnv({ SLNG_BASE_URL: url }));
    expect(code, stdout).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  ${id}  (QUEUED|IN_PROGRESS|DECODING|POST_PROCESSING|DONE)`,
      ),
    );
    expect(stdout).toMatch(new RegExp(`${id}  DONE`));
    expect(stdout).toContain(`✓ ${id}: DONE (exit code 0)`);
    expect(stdout).not.toContain("\u001b[");
  });

  it("--json gives one typed event per line, and rides out faults", async () => {
    const own = createEmulator({ rtf: 0.5, minStageMs: 150 });
    const { url: ownUrl } = await own.listen({ host: "127.0.0.1", port: 0 });
    const id = await createJob(1, { emulator: { fail: "bad audio" } }, ownUrl);
    own.forceFault("503", { count: 3, match: new RegExp(`/jobs/${id}$`) });
    const { code, stdout } = await runPiped(["watch", id, "--json"], cleanEnv({ SLNG_BASE_URL: ownUrl }));
    await own.close();
    expect(code, stdout).toBe(1);
    const events = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(
      events.some((e) => e.type === "connection" && e.state === "retrying"),
      stdout,
    ).toBe(true);
    expect(events.filter((e) => e.type === "status").at(-1)).toMatchObject({ status: "FAILED" });
    expect(events.at(-1)).toMatchObject({ type: "result", exit_code: 1, status: "FAILED", error: "bad audio" });
  });

  it("submit --watch --json uploads, reports progress and watches to DONE", async () => {
    const { writeFile, mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "slng-tui-"));
    const file = join(dir, "talk.wav");
    await writeFile(file, createSampleWav({ seconds: 1 }));
    const { code, stdout } = await runPiped(
      ["submit", file, "--title", "Talk", "--watch", "--json"],
      cleanEnv({ SLNG_BASE_URL: url }),
    );
    await rm(dir, { recursive: true });
    expect(code, stdout).toBe(0);
    const types = stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toContain("upload_progress");
    expect(types).toContain("submitted");
    expect(types.at(-1)).toBe("result");
  });

  it("transcript, files and delete work; delete needs --yes without a terminal", async () => {
    // 3 s of audio: a 1 s clip may legitimately hold no words at all.
    const id = await createJob(3);
    await runPiped(["watch", id], cleanEnv({ SLNG_BASE_URL: url }));
    const env = cleanEnv({ SLNG_BASE_URL: url });
    const txt = await runPiped(["transcript", id], env);
    expect(txt.code, txt.stderr).toBe(0);
    const served = await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.download(id, "txt");
    expect(served.trim()).not.toBe("");
    expect(txt.stdout.trim()).toBe(served.trim());
    const srt = await runPiped(["transcript", id, "--format", "srt"], env);
    expect(srt.stdout).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> /);
    const files = await runPiped(["files", id], env);
    expect(files.stdout).toContain("X-Amz-Signature=REDACTED");
    const refused = await runPiped(["delete", id], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const deleted = await runPiped(["delete", id, "--yes"], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    const again = await runPiped(["watch", id], env);
    expect(again.code).toBe(1);
    const list = await runPiped(["jobs", "--json", "--limit", "5"], env);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split("\n").length).toBeGreaterThan(0);
  });

  it("--timeout exits 4", async () => {
    const id = await createJob(120);
    const { code, stdout } = await runPiped(["watch", id, "--timeout", "1"], cleanEnv({ SLNG_BASE_URL: url }));
    expect(code, stdout).toBe(4);
    expect(stdout).toContain("timed out after 1s (exit code 4)");
  });

  it("missing key: exit 2 with how to set one and that demo needs none", async () => {
    const { code, stderr, stdout } = await runPiped(["watch", "abc123"], cleanEnv());
    expect(code).toBe(2);
    expect(stderr).toContain("SLNG_API_KEY");
    expect(stderr).toContain("slng-batch demo");
    expect(stdout).toBe("");
  });

  it("unknown job and a wrong key exit 3, and the key is never printed", async () => {
    const env = cleanEnv({ SLNG_BASE_URL: url });
    const missing = await runPiped(["watch", "doesnotexist1"], env);
    expect(missing.code).toBe(3);
    expect(missing.stdout + missing.stderr).toMatch(/not found/i);
    const unreachable = await runPiped(
      ["watch", "abc123", "--max-offline", "2"],
      cleanEnv({ SLNG_BASE_URL: "http://127.0.0.1:9" }),
    );
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout).toMatch(/API unreachable for [2-9](\.\d)?s/);
    const secret = "sk-e2e-secret-0123456789";
    const wrong = await runPiped(["watch", "abc123", "--api-key", secret], env);
    expect(wrong.code).toBe(3);
    expect(wrong.stdout + wrong.stderr).toMatch(/Not authorised/);
    expect(wrong.stderr + wrong.stdout).not.toContain(secret);
    const json = await runPiped(["transcript", "abc123", "--json"], { ...env, SLNG_API_KEY: secret });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ type: "error", exit_code: 3 });
    expect(json.stdout).not.toContain(secret);
  });

  it("usage errors exit 2 and point to --help", async () => {
    const bad = await runPiped(["watch", "not-a-valid-id!"], cleanEnv({ SLNG_BASE_URL: url }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Run "slng-batch watch --help"');
    const unknown = await runPiped(["wat"], cleanEnv());
    expect(unknown.code).toBe(2);
    const help = await runPiped(["submit", "--help"], cleanEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: slng-batch submit");
  });
});

describe("slng-batch jobs dashboard on a terminal", () => {
  it("opens with --status and --sort applied, and / searches every job", async () => {
    const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
    const failed = await createJob(1, { emulator: { fail: "e2e dashboard" } });
    await slng.jobs.wait(failed).catch(() => undefined); // throws JobFailedError once it has failed
    const run = runPty(
      process.execPath,
      [CLI, "jobs", "--status", "failed", "--sort", "status", "--asc"],
      cleanEnv({ SLNG_BASE_URL: url }),
      {
        cols: 80,
        rows: 24,
      },
    );
    await run.waitFor("SLNG Batch jobs · failed · by status");
    await run.waitFor(failed);
    await run.waitFor("? help");
    run.write("/");
    run.write(failed.slice(2, 10));
    await run.waitFor(/1 match for/);
    await run.waitFor(/searched all \d+ failed jobs?\b/);
    const before = strip(run.output()).length;
    run.write("\u001b");
    // Esc clears the search: the page position comes back.
    for (let i = 0; i < 200 && !/page 1\/\d+/.test(strip(run.output()).slice(before)); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(strip(run.output()).slice(before)).toMatch(/page 1\/\d+/);
    run.write("q");
    expect(await run.exit).toBe(0);
    const bad = await runPiped(["jobs", "--status", "bogus"], cleanEnv({ SLNG_BASE_URL: url }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown status "BOGUS"');
  });
});
