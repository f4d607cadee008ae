import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { contractFetch } from "./test-support.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

function run(args: string[], until?: RegExp): Promise<{ child: ChildProcess; out: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const onData = (d: Buffer) => {
      out += d;
      if (until?.test(out)) resolve({ child, out, code: null });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => resolve({ child, out, code }));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));
}

describe("slng-emulator bin (built)", () => {
  it("exists after the build", () => {
    expect(existsSync(bin)).toBe(true);
  });

  it("--version prints the package's version and exits 0; --help lists it", () => {
    const pkg = JSON.parse(readFileSync(join(dirname(bin), "..", "package.json"), "utf8")) as { version: string };
    const version = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.stderr).toBe("");
    const help = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}--version +Print the version of slng-emulator$/m);
  });

  it("prints its URL and the demo key, serves, and shuts down cleanly on SIGTERM", async () => {
    const { child, out } = await run(["--port", "0"], /Ctrl\+C/);
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toContain("accepting the demo key slng-emulator-demo-key");
    const res = await contractFetch((r) => fetch(r))(
      new Request(`${url}/v1/batch/jobs`, { headers: { authorization: "Bearer slng-emulator-demo-key" } }),
    );
    expect(res.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  });

  it("masks configured keys and stops on SIGINT", async () => {
    const { child, out } = await run(["--port", "0", "--api-key", "sk-secret-value-123", "--api-key", "k2"], /Ctrl\+C/);
    expect(out).not.toContain("sk-secret-value-123");
    expect(out).toContain("accepted API keys: sk-s…**** (19 chars), ** (2 chars)");
    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
  });

  it("exits 2 with the usage for bad arguments, 0 for --help", async () => {
    const bad = await run(["--port", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("--port must be an integer");
    expect(bad.out).toContain("Usage: slng-emulator");
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--fault-kinds");
  });
});
