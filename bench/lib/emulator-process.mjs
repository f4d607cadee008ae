import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = join(dirname(fileURLToPath(import.meta.url)), "../../packages/emulator/dist/bin.js");

/**
 * Starts the built emulator (`packages/emulator/dist/bin.js`) as a child process on a free port,
 * accepting `key`, with near-instant processing unless `args` say otherwise; resolves with the
 * child and its base URL once it is listening.
 */
export function startEmulator(key, args = ["--rtf", "0", "--min-stage-ms", "0"]) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--port", "0", "--api-key", key, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}
