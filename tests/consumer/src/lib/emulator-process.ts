import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { userEnv } from "./project.js";

/** A running `slng-emulator` from the consumer project's node_modules/.bin. */
export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the installed `slng-emulator` bin on a free loopback port and resolves with its URL
 * once it says it is listening (fails with its output if it exits or stays silent for 30 s).
 */
export function startInstalledEmulator(projectDir: string, args: string[]): Promise<EmulatorProcess> {
  const bin = join(projectDir, "node_modules", ".bin", "slng-emulator");
  const child = spawn(bin, ["--port", "0", ...args], { cwd: projectDir, env: userEnv(), stdio: "pipe" });
  let out = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`slng-emulator did not start within 30 s:\n${out}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1] as string, child, output: () => out, stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`slng-emulator exited ${code} before listening:\n${out}`));
    });
  });
}
