/**
 * What the release check runs in each installed project: the project's own `slng-emulator` bin,
 * the ESM and CommonJS flows of tests/consumer/src/fixtures against it, and the CLI demo in a
 * pseudo-terminal.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { cleanEnv, sh } from "./sh.mjs";

const API_KEY = "sk-release-check-0123456789";
const CSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** Starts the project's installed emulator on a free port; resolves with its URL and `stop()`. */
function startEmulator(spec, dir) {
  const [cmd, args] = spec.bin("slng-emulator", [
    "--port",
    "0",
    "--api-key",
    API_KEY,
    "--rtf",
    "0.02",
    "--min-stage-ms",
    "20",
    "--quiet",
  ]);
  const child = spawn(cmd, args, { cwd: dir, env: cleanEnv(spec.env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`slng-emulator did not start within 60 s:\n${out}`));
    }, 60_000);
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop });
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

/**
 * Runs flow.mjs and flow.cjs in `dir` with the project's runtime against its emulator; each
 * must create a job from the WAV, see it DONE with a transcript, and delete it.
 */
export async function runFlows(spec, dir, wavBytes) {
  const wav = join(dir, "meeting.wav");
  writeFileSync(wav, wavBytes);
  const emulator = await startEmulator(spec, dir);
  try {
    const results = [];
    for (const [label, script] of [
      ["ESM", "flow.mjs"],
      ["CJS", "flow.cjs"],
    ]) {
      const [cmd, args] = spec.node(script);
      const env = cleanEnv({ ...spec.env, SLNG_API_KEY: API_KEY, SLNG_BASE_URL: emulator.url });
      const r = await sh(cmd, [...args, wav, label], { cwd: dir, env, allowFail: true, timeoutMs: 120_000 });
      let result = {};
      try {
        result = JSON.parse(r.stdout.trim().split("\n").at(-1));
      } catch {}
      const ok =
        r.code === 0 && result.status === "DONE" && result.txt?.trim().length > 0 && result.deleted === "DELETED";
      const detail = ok ? `job ${result.jobId}` : `exit ${r.code}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-600)}`;
      results.push({ label, ok, detail });
    }
    return results;
  } finally {
    await emulator.stop();
  }
}

/**
 * `npx --no-install slng-batch demo` in a 100×30 pseudo-terminal (node-pty, as the consumer
 * tests use it); resolves with its exit code and output.
 */
export function runDemoInPty(root, dir, env) {
  const { spawn: spawnPty } = createRequire(join(root, "tests", "consumer", "package.json"))("@lydell/node-pty");
  const npx = join(process.execPath, "..", "npx");
  const pty = spawnPty(npx, ["--no-install", "slng-batch", "demo"], {
    name: "xterm-256color",
    cols: 100,
    rows: 30,
    cwd: dir,
    env,
  });
  let output = "";
  pty.onData((d) => {
    output += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pty.kill("SIGKILL");
      reject(new Error(`slng-batch demo did not exit within 120 s:\n${output.replace(CSI, "").slice(-600)}`));
    }, 120_000);
    pty.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ code: exitCode, output: output.replace(CSI, "") });
    });
  });
}
