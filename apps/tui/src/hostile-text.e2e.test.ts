import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped, runPty } from "./test-utils/cli-process.js";
import { HOSTILE, JSON_TRANSCRIPT, startHostileApi, terminalEffects, UNSAFE } from "./test-utils/hostile-api.js";

// An API (and file names) whose every string carries terminal escapes: none may reach a terminal.
let api: Awaited<ReturnType<typeof startHostileApi>>;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  api = await startHostileApi();
  dir = await mkdtemp(join(tmpdir(), "slng-tui-hostile-"));
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => cleanEnv({ SLNG_BASE_URL: api.url, ...extra });

/** `text` must hold no byte a terminal acts on. */
function expectInert(text: string) {
  const at = text.search(UNSAFE);
  expect(at, `unsafe character at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`).toBe(-1);
}

/** Runs the CLI in a pty of `cols` × 40 until it exits; the screen must show no title, clipboard or link effect. */
async function onTerminal(args: string[], cols = 200, keys?: { after: string; send: string }) {
  const run = runPty(process.execPath, [CLI, ...args], env(), { cols, rows: 40 });
  if (keys) {
    await run.waitFor(keys.after);
    run.write(keys.send);
  }
  const code = await run.exit;
  const effects = await terminalEffects(run.output(), cols, 40);
  expect(effects.titles).toEqual([]);
  expect(effects.osc).toEqual([]);
  return { code, screen: effects.lines.join("\n") };
}

describe("through pipes: no byte that drives a terminal outside --json", () => {
  it("jobs: the table shows titles and ids with visible escapes", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs"], env());
    expect(code, stderr).toBe(0);
    expectInert(stdout);
    expect(stdout).toContain("Call \\x1b]0;pwned\\x07");
    expect(stdout).toContain("evil\\x1b[2J");
  });

  it("jobs --json stays as served", async () => {
    const { code, stdout } = await runPiped(["jobs", "--json"], env());
    expect(code).toBe(0);
    const first = JSON.parse(stdout.split("\n")[0] as string);
    expect(first.job_config.tracking.title).toBe(HOSTILE.title);
    expect(first.job_config.tracking.tags).toEqual(HOSTILE.tags);
  });

  it("files: keys shown with visible escapes", async () => {
    const { code, stdout, stderr } = await runPiped(["files", "hostileDone"], env());
    expect(code, stderr).toBe(0);
    expectInert(stdout);
    expect(stdout).toContain("inputs/in\\x1b]0;pwned\\x07.wav");
  });

  it("watch of a FAILED job: the error line is inert", async () => {
    const { code, stdout, stderr } = await runPiped(["watch", "hostileFailed"], env());
    expect(code, stderr).toBe(1);
    expectInert(stdout + stderr);
    expect(stdout).toContain("\\x1b]8;;https://evil.example/");
    expect(stdout).toContain("\\u202egpj.exe");
  });

  it("watch of a DONE job: the transcript preview is inert", async () => {
    const { code, stdout, stderr } = await runPiped(["watch", "hostileDone"], env());
    expect(code, stderr).toBe(0);
    expectInert(stdout + stderr);
    expect(stdout).toContain("Hello \\x1b]0;pwned\\x07world.");
  });

  it("transcript and an error from the API on stderr", async () => {
    const failed = await runPiped(["transcript", "hostileFailed"], env());
    expect(failed.code).toBe(1);
    expectInert(failed.stderr);
    expect(failed.stderr).toContain("\\x1b[2J");
    const missing = await runPiped(["transcript", "nosuchjob"], env());
    expect(missing.code).toBe(3);
    expectInert(missing.stderr);
    expect(missing.stderr).toContain("Job not found \\x1b]0;pwned");
  });

  it("transcript to a pipe and to -o is the bytes as served", async () => {
    const piped = await runPiped(["transcript", "hostileDone"], env());
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(HOSTILE.transcript);
    const file = join(dir, "t.txt");
    const saved = await runPiped(["transcript", "hostileDone", "-o", file], env());
    expect(saved.code, saved.stderr).toBe(0);
    expect(await readFile(file, "utf8")).toBe(HOSTILE.transcript);
    const json = await runPiped(["transcript", "hostileDone", "--format", "json"], env());
    expect(JSON.parse(json.stdout)).toEqual(JSON_TRANSCRIPT);
  });

  it("submit refuses an acknowledgement for another (hostile) job id, and says so inert", async () => {
    const { code, stdout, stderr } = await runPiped(["submit", "https://example.test/call.wav"], env());
    expect(code, stderr).toBe(3);
    expectInert(stdout + stderr);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/answered 202 with a body that is not a job acknowledgement/);
  });

  it("bulk: file names with ESC and a newline, and API errors, stay inert and one line each", async () => {
    const input = join(dir, "bulk-in");
    await mkdir(input);
    await writeFile(join(input, "plain.wav"), createSampleWav({ seconds: 1 }));
    await writeFile(join(input, `odd\u001b]0;pwned\u0007\nname.wav`), createSampleWav({ seconds: 2 }));
    const { code, stdout, stderr } = await runPiped(["bulk", input, "--out", join(dir, "bulk-out")], env());
    expect(code, stderr).toBe(1);
    expectInert(stdout + stderr);
    expect(stdout).toContain("odd\\x1b]0;pwned\\x07\\nname.wav");
    expect(stdout).toContain("rejected \\x1b]0;pwned\\x07");
    // Every log line (before the summary) starts with its timestamp: a newline in a name splits none.
    const log = stdout.slice(0, stdout.indexOf("\n\n")).split("\n");
    for (const line of log) expect(line).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe("on a terminal (@xterm/headless): no title, clipboard or link event; visible placeholders", () => {
  it("watch of a FAILED job", async () => {
    const { code, screen } = await onTerminal(["watch", "hostileFailed"]);
    expect(code).toBe(1);
    expect(screen).toContain("Call \\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07 \\u202e3pm.exe");
    expect(screen).toContain("\\x1b]8;;https://evil.example/\\x1b\\click");
  });

  it("watch of a DONE job, its transcript preview, cut to a narrow window", async () => {
    const { code, screen } = await onTerminal(["watch", "hostileDone"], 50);
    expect(code).toBe(0);
    expect(screen).toContain("Hello \\x1b]0;pwned\\x07world.");
    expect(screen).toContain("\\x1b[31mRed \\u202etxt.exe");
  });

  it("transcript printed to the terminal", async () => {
    const { code, screen } = await onTerminal(["transcript", "hostileDone"]);
    expect(code).toBe(0);
    expect(screen).toContain("Hello \\x1b]0;pwned\\x07world.");
    expect(screen).toContain("Third \\x1b]52;c;cHduZWQ=\\x07");
  });

  it("the jobs dashboard", async () => {
    const { code, screen } = await onTerminal(["jobs"], 200, { after: "hostileFailed", send: "q" });
    expect(code).toBe(0);
    expect(screen).toContain("Call \\x1b]0;pwned\\x07");
    expect(screen).toContain("evil\\x1b[2J");
  });

  it("the bulk view: failures with hostile names and errors", async () => {
    const input = join(dir, "bulk-pty");
    await mkdir(input);
    await writeFile(join(input, `odd\u001b]0;pwned\u0007name.wav`), createSampleWav({ seconds: 3 }));
    const { code, screen } = await onTerminal(["bulk", input, "--out", join(dir, "bulk-pty-out")]);
    expect(code).toBe(1);
    expect(screen).toContain("odd\\x1b]0;pwned\\x07name.wav");
    expect(screen).toContain("rejected \\x1b]0;pwned\\x07");
  });
});
