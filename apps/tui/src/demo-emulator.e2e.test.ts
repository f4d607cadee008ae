import { type ChildProcessWithoutNullStreams, spawn as spawnChild } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";
import { EMULATOR_USAGE } from "@slng/emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, helpText } from "./lib/args.js";
import { CLI, cleanEnv, runPiped, runPty } from "./test-utils/cli-process.js";
import { screenLines } from "./test-utils/screen.js";

const ESC = String.fromCharCode(27);
const strip = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g"), "");

async function run(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const r = await runPiped(args, cleanEnv(extra));
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** Starts `slng-batch emulator … --json` and resolves with the child and its announcement. */
function startEmulator(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; line: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [CLI, "emulator", "--port", "0", "--json", ...args], {
      env: cleanEnv(),
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ child, line: JSON.parse(out.slice(0, nl)) });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
});

describe("slng-batch emulator", () => {
  it("takes the emulator's own options: --api-key is the key it accepts (masked in its output)", async () => {
    const { child, line } = await startEmulator(["--api-key", "myLocalKey42", "--rtf", "0", "--quiet"]);
    try {
      expect(line).toMatchObject({ type: "emulator", api_keys: ["myLo…**** (12 chars)"] });
      expect(JSON.stringify(line)).not.toContain("myLocalKey42");
      const base = String(line.url);
      const ok = await run(["jobs", "--json"], { SLNG_BASE_URL: base, SLNG_API_KEY: "myLocalKey42" });
      expect(ok.code, ok.err).toBe(0);
      const demoKey = await run(["jobs", "--json"], { SLNG_BASE_URL: base });
      expect(demoKey.code).toBe(3);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited(child)).toBe(0);
  });

  it("a port out of range, a port in use and a global option it has no use for are exit 2 with a sentence", async () => {
    const range = await run(["emulator", "--port", "99999"]);
    expect(range.code).toBe(2);
    expect(range.err).toContain("--port must be an integer from 0 to 65535 (got '99999')");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await run(["emulator", "--port", String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.err).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(busy.err).toContain("--port 0 picks a free one");
      expect(busy.err).not.toMatch(/unexpected| {4}at /);
    } finally {
      blocker.close();
    }
    const global = await run(["emulator", "--base-url", "http://127.0.0.1:1"]);
    expect(global.code).toBe(2);
    expect(global.err).toContain("unknown option --base-url");
  });

  it("--help lists every option of slng-emulator and no global option that does nothing there", () => {
    const theirs = [...EMULATOR_USAGE.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)]
      .map((m) => m[1])
      // --help and --version are about slng-emulator itself (slng-batch has its own --version).
      .filter((o) => o !== "help" && o !== "version");
    expect(theirs.length).toBeGreaterThan(8);
    expect(Object.keys(COMMANDS.emulator.options).sort()).toEqual([...theirs].sort());
    const help = helpText("emulator");
    expect(help).not.toContain("--base-url");
    expect(help).not.toContain("prefer the SLNG_API_KEY");
    expect(help).toContain("--data-dir");
    expect(help).toContain("--fault-rate");
  });

  it("--help says what slng-emulator --help says about fault kinds and exit codes", () => {
    const line = (text: string, flag: string) =>
      new RegExp(`--${flag} <\\w+>\\s+(.*)$`, "m").exec(text)?.[1]?.toLowerCase();
    const help = helpText("emulator");
    expect(line(help, "fault-kinds")).toBe(line(EMULATOR_USAGE, "fault-kinds"));
    expect(line(help, "fault-kinds")).toContain("lost");
    expect(line(help, "fault-kinds")).toContain("all but lost");
    expect(help).toContain("| lost |");
    const codes = (text: string) =>
      [...(text.split("Exit codes:")[1] ?? "").matchAll(/^ {2}(\d+) /gm)].map((m) => m[1]);
    expect(codes(help)).toEqual(["0", "2"]);
    expect(codes(EMULATOR_USAGE)).toEqual(codes(help));
  });

  it("a port in use exits 2 from both slng-batch emulator and slng-emulator, Ctrl+C exits 0", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const ours = await run(["emulator", "--port", port]);
      const bin = fileURLToPath(new URL("../../../packages/emulator/dist/bin.js", import.meta.url));
      const theirs = spawnChild(process.execPath, [bin, "--port", port], { env: cleanEnv() });
      expect(ours.code).toBe(2);
      expect(await exited(theirs)).toBe(2);
    } finally {
      blocker.close();
    }
    const { child } = await startEmulator(["--quiet"]);
    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
  });
});

describe("slng-batch demo", () => {
  it("q ends the demo cleanly (exit 0) and says the job stops with its emulator", async () => {
    const pty = spawnPty(process.execPath, [CLI, "demo", "--seconds", "120"], { cols: 100, rows: 30, env: cleanEnv() });
    let out = "";
    pty.onData((d) => {
      out += d;
    });
    const exit = new Promise<number>((r) => pty.onExit(({ exitCode }) => r(exitCode)));
    const start = Date.now();
    while (!/q quit/.test(strip(out))) {
      if (Date.now() - start > 90_000) throw new Error(`no watch view:\n${strip(out)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    pty.write("q");
    const code = await exit;
    const text = strip(out);
    expect(code, text).toBe(0);
    expect(text.replace(/\s+/g, " ")).toMatch(
      /Demo ended before job \w+ finished: its emulator ran inside the demo and stops with it/,
    );
    expect(text).not.toContain("keeps running");
    expect(text).not.toMatch(/error:|unexpected/);
  });

  it("at 80 columns through npx: no line cut or broken mid-word, and the hint says npx @slng/tui", async () => {
    const run = runPty(process.execPath, [CLI, "demo", "--seconds", "20"], cleanEnv({ npm_command: "exec" }), {
      cols: 80,
      rows: 24,
      hangMs: 30_000,
    });
    expect(await run.exit).toBe(0);
    const lines = await screenLines(run.output(), 80, 24);
    const screen = lines.join("\n");
    expect(screen, screen).toMatch(/^slng-batch demo: embedded emulator at http:\S+ \(no API key, no\nnetwork\)$/m);
    expect(screen).toContain("slng-demo-sample.wav (20 s generated sample)\n");
    expect(screen).toMatch(/\n {2}submitted as \w{24}\n/);
    expect(screen).toContain('"npx @slng/tui emulator"');
    expect(screen).toMatch(/SLNG_BASE_URL=http:\/\/127\.0\.0\.1:\d+ npx @slng\/tui jobs/);
    for (const line of lines) expect(line, screen).not.toMatch(/…$/);
    expect(screen).not.toMatch(/\bslng-batch (emulator|jobs)\b/);
    // The transcript printed after the view is wrapped between words: a line the terminal had to
    // wrap itself would fill all 80 columns and break a word.
    const transcript = lines.slice(lines.findIndex((l) => l.startsWith("Transcript of ")) + 1);
    expect(transcript.join(" ").split(/\s+/).length, screen).toBeGreaterThan(20);
    for (const line of transcript) expect(line.length, screen).toBeLessThan(80);
  }, 120_000);

  it("the closing hint names the port `slng-batch emulator` really listens on without --port", async () => {
    const demo = await run(["demo", "--seconds", "2"]);
    expect(demo.code, demo.err).toBe(0);
    const hinted = /SLNG_BASE_URL=http:\/\/127\.0\.0\.1:(\d+) /.exec(demo.out)?.[1];
    expect(hinted, demo.out).toBeDefined();
    const child = spawnChild(process.execPath, [CLI, "emulator", "--json", "--quiet"], { env: cleanEnv() });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = await exited(child);
    // Another program may hold that port on a shared machine: then its JSON error line names the port.
    const first = JSON.parse(out.split("\n")[0] || "{}");
    if (code === 2) expect(first.message, err).toContain(`port ${hinted} on 127.0.0.1 is already in use`);
    else expect(first.url, err).toBe(`http://127.0.0.1:${hinted}`);
  });
});
