/**
 * Child processes for the release check: run a command to completion (output collected, an
 * error with the output on a non-zero exit) and the environment a user's shell would have.
 */
import { spawn } from "node:child_process";

/** The caller's environment without what pnpm, turbo, vitest and npm scripts add to it. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(npm_|pnpm_|PNPM_|VITEST|TURBO_|SLNG_|YARN_|BUN_|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/**
 * Runs `cmd args` in `cwd`; resolves with its output when it exits 0, rejects with the command,
 * its exit and its output otherwise (or after `timeoutMs`, default 3 minutes).
 */
export function sh(cmd, args, { cwd, env = cleanEnv(), timeoutMs = 180_000, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout: out, stderr: err };
      if (code === 0 || allowFail) return resolve(result);
      const tail = `${out}\n${err}`.trim().split("\n").slice(-40).join("\n");
      reject(new Error(`${[cmd, ...args].join(" ")} exited ${code ?? signal} in ${cwd}\n${tail}`));
    });
  });
}
