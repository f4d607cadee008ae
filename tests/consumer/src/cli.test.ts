import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "@lydell/node-pty";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, inject, it } from "vitest";
import { run, userEnv } from "./lib/project.js";

const consumer = inject("consumer");
const npx = join(process.execPath, "..", "npx");
const CSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** Runs a command in a pseudo-terminal of the given size; resolves with its exit code and output. */
function inPty(file: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const pty = spawn(file, args, { name: "xterm-256color", cols: 100, rows: 30, cwd: consumer.dir, env: userEnv() });
  let output = "";
  pty.onData((d) => {
    output += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pty.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    pty.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ code: exitCode, output });
    });
  });
}

describe("the installed command-line tools", () => {
  it("npx slng-batch demo runs to DONE in a pseudo-terminal and exits 0", async () => {
    const r = await inPty(npx, ["--no-install", "slng-batch", "demo"], 90_000);
    const text = r.output.replace(CSI, "");
    expect(r.code, text).toBe(0);
    expect(text).toContain("DONE");
  });

  it("npx slng-batch jobs --json lists the installed emulator's jobs into a pipe", async () => {
    const r = await run(npx, ["--no-install", "slng-batch", "jobs", "--json"], {
      cwd: consumer.dir,
      env: userEnv({ SLNG_API_KEY: consumer.apiKey, SLNG_BASE_URL: consumer.baseUrl }),
    });
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.trim().split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.stdout + r.stderr).not.toContain(consumer.apiKey);
  });

  it("npx slng-batch bulk transcribes a folder into a pipe (--json events) and exits 0", async () => {
    await mkdir(join(consumer.dir, "cli-rec", "sub"), { recursive: true });
    await writeFile(join(consumer.dir, "cli-rec", "one.wav"), createSampleWav({ seconds: 3, seed: 5 }));
    await writeFile(join(consumer.dir, "cli-rec", "sub", "two.wav"), createSampleWav({ seconds: 3, seed: 6 }));
    const r = await run(npx, ["--no-install", "slng-batch", "bulk", "cli-rec", "--out", "cli-out", "--json"], {
      cwd: consumer.dir,
      env: userEnv({ SLNG_API_KEY: consumer.apiKey, SLNG_BASE_URL: consumer.baseUrl }),
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.length).toBeGreaterThan(2);
    expect(existsSync(join(consumer.dir, "cli-out", "sub", "two.txt"))).toBe(true);
  });

  it("npx slng-emulator --help prints its usage", async () => {
    const r = await run(npx, ["--no-install", "slng-emulator", "--help"], { cwd: consumer.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: slng-emulator/);
    expect(r.stdout).toMatch(/--cors-origin/);
  });
});
