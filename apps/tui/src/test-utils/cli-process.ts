import { spawn as spawnChild } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";

/** The built CLI the end-to-end tests run (as installed: `dist/cli.js`). */
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** The test process's environment without anything that would change the CLI's behaviour. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith("SLNG_") || k === "CI" || k === "NO_COLOR" || k === "FORCE_COLOR") continue;
    if (k.startsWith("VITEST") || k === "NODE_ENV") continue;
    env[k] = v;
  }
  return { ...env, TERM: "xterm-256color", ...extra };
}

const ESC = String.fromCharCode(27);
const CSI = new RegExp(`${ESC}\\[[0-9;?<>=]*[ -/]*[@-~]`, "g");
const OSC = new RegExp(`${ESC}\\][^${String.fromCharCode(7)}]*${String.fromCharCode(7)}`, "g");

/** `text` without terminal control sequences. */
export const strip = (text: string): string => text.replace(CSI, "").replace(OSC, "");

/** A program running in a pseudo-terminal. */
export interface PtyRun {
  pid: number;
  output: () => string;
  write: (data: string) => void;
  resize: (cols: number, rows: number) => void;
  /** The exit code, or `"hung"` when it had not exited after `hangMs` (it is then killed). */
  exit: Promise<number | "hung">;
  waitFor: (pattern: RegExp | string, timeoutMs?: number) => Promise<void>;
}

/** Starts `file args` in a pseudo-terminal of `size`; kills it and reports `"hung"` after `hangMs`. */
export function runPty(
  file: string,
  args: string[],
  env: Record<string, string>,
  opts: { cols?: number; rows?: number; hangMs?: number } = {},
): PtyRun {
  const pty = spawnPty(file, args, {
    // node-pty sets TERM from this name.
    name: env.TERM ?? "xterm-256color",
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: process.cwd(),
    env,
  });
  let out = "";
  pty.onData((d) => {
    out += d;
  });
  const exit = new Promise<number | "hung">((resolve) => {
    const timer = setTimeout(() => {
      resolve("hung");
      pty.kill("SIGKILL");
    }, opts.hangMs ?? 30_000);
    pty.onExit(({ exitCode }) => {
      clearTimeout(timer);
      // The last output can arrive after the exit is reported (later still on a loaded machine):
      // resolve once nothing more has come for 200 ms, or after 3 s.
      const settleStart = Date.now();
      let seen = out.length;
      const settle = setInterval(() => {
        if (out.length === seen || Date.now() - settleStart > 3000) {
          clearInterval(settle);
          resolve(exitCode);
        }
        seen = out.length;
      }, 200);
    });
  });
  return {
    pid: pty.pid,
    output: () => out,
    write: (d) => pty.write(d),
    resize: (cols, rows) => pty.resize(cols, rows),
    exit,
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const start = Date.now();
      while (!(typeof pattern === "string" ? strip(out).includes(pattern) : pattern.test(strip(out)))) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/**
 * A shell line that runs the CLI with `args`, then prints its exit code and the terminal's
 * modes as `EXIT=<n> MODES=<icanon|-icanon> <echo|-echo>` — what the next shell command meets.
 * The shell then lingers a moment: node-pty can drop what a process wrote just before it exited.
 */
export function cliThenTerminalState(args: string[]): string {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return `node '${CLI}' ${quoted}; echo "EXIT=$?"; echo "MODES=$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')"; sleep 0.3`;
}

/** What a run of {@link cliThenTerminalState} says about the terminal it left. */
export function terminalAfter(raw: string): { exit?: number; cooked: boolean; cursorShown: boolean } {
  const text = strip(raw);
  const exit = /EXIT=(\d+)/.exec(text);
  const modes = /MODES=([^\r\n]*)/.exec(text)?.[1] ?? "";
  const before = raw.slice(0, raw.indexOf("EXIT="));
  return {
    ...(exit ? { exit: Number(exit[1]) } : {}),
    cooked: /(^|\s)icanon(\s|$)/.test(modes) && /(^|\s)echo(\s|$)/.test(modes),
    cursorShown: before.lastIndexOf(`${ESC}[?25h`) >= before.lastIndexOf(`${ESC}[?25l`),
  };
}

/** Runs the built CLI with stdout and stderr into pipes, read at full speed. */
export function runPiped(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnChild(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
