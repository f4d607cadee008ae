import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";
import { startHostileApi } from "./test-utils/hostile-api.js";

// Keys out of ps: --api-key warns; --api-key-file PATH and - (stdin) give the key without a trace in argv.
let api: Awaited<ReturnType<typeof startHostileApi>>;
let dir: string;
const KEY = "sk-e2e-keyfile-0123456789";

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  api = await startHostileApi();
  dir = await mkdtemp(join(tmpdir(), "slng-tui-keyfile-"));
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ SLNG_BASE_URL: api.url });

/** Runs the CLI with `input` on its stdin. */
function runWithStdin(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("--api-key warns; --api-key-file reads the key from a file or stdin", () => {
  it("--api-key: one warning line on stderr naming the alternatives, the key never printed", async () => {
    const { code, stdout, stderr } = await runPiped(["files", "hostileDone", "--api-key", KEY], env());
    expect(code, stderr).toBe(0);
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: --api-key .*ps.*SLNG_API_KEY.*--api-key-file PATH.*--api-key-file -/);
    expect(stdout + stderr).not.toContain(KEY);
    expect(api.keys.at(-1)).toBe(KEY);
  });

  it("--api-key-file PATH sends the file's key, with no warning", async () => {
    const file = join(dir, "key");
    await writeFile(file, `${KEY}-file\n`);
    const { code, stderr } = await runPiped(["files", "hostileDone", "--api-key-file", file], env());
    expect(code, stderr).toBe(0);
    expect(stderr).toBe("");
    expect(api.keys.at(-1)).toBe(`${KEY}-file`);
  });

  it("--api-key-file - reads it from stdin", async () => {
    const { code, stderr } = await runWithStdin(["files", "hostileDone", "--api-key-file", "-"], `${KEY}-stdin\n`);
    expect(code, stderr).toBe(0);
    expect(stderr).toBe("");
    expect(api.keys.at(-1)).toBe(`${KEY}-stdin`);
  });

  it("a missing or empty key file: exit 2 with what is wrong, before any request", async () => {
    const before = api.keys.length;
    const missing = await runPiped(["files", "hostileDone", "--api-key-file", join(dir, "nope")], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--api-key-file .*nope: no such file/);
    const empty = await runWithStdin(["files", "hostileDone", "--api-key-file", "-"], "\n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(
      "standard input was empty: pipe the key in, e.g. slng-batch files … --api-key-file - < key.txt",
    );
    const json = await runPiped(["files", "hostileDone", "--json", "--api-key-file", join(dir, "nope")], env());
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ type: "error", exit_code: 2 });
    expect(api.keys.length).toBe(before);
  });

  it("--help lists --api-key-file", async () => {
    const { stdout } = await runPiped(["jobs", "--help"], env());
    expect(stdout).toMatch(/--api-key-file <path\|->\s+read the API key from this file \(- for stdin\)/);
  });
});

describe("a refused key: the error names where the key came from", () => {
  let emulator: Emulator;
  let emuUrl: string;
  beforeAll(async () => {
    emulator = createEmulator({ apiKeys: ["sk-right-key"] });
    ({ url: emuUrl } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("--api-key-file PATH: names the file, not SLNG_API_KEY or --api-key", async () => {
    const file = join(dir, "wrong-key");
    await writeFile(file, "sk-wrong-key\n");
    const { code, stderr } = await runPiped(
      ["files", "abc123", "--api-key-file", file],
      cleanEnv({ SLNG_BASE_URL: emuUrl }),
    );
    expect(code).toBe(3);
    expect(stderr).toContain(`Check the key in --api-key-file ${file}.`);
    expect(stderr).not.toMatch(/SLNG_API_KEY or --api-key\b/);
    expect(stderr).not.toContain("sk-wrong-key");
  });

  it("--api-key-file -: names standard input", async () => {
    const child = spawn(process.execPath, [CLI, "files", "abc123", "--api-key-file", "-"], {
      env: cleanEnv({ SLNG_BASE_URL: emuUrl }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdin.end("sk-wrong-key\n");
    const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    expect(code).toBe(3);
    expect(stderr).toContain("Check the key in standard input (--api-key-file -).");
  });

  it("SLNG_API_KEY: names the variable; --api-key: names the flag", async () => {
    const fromEnv = await runPiped(["files", "abc123"], cleanEnv({ SLNG_BASE_URL: emuUrl, SLNG_API_KEY: "sk-wrong" }));
    expect(fromEnv.code).toBe(3);
    expect(fromEnv.stderr).toContain("Check the key in SLNG_API_KEY.");
    const fromFlag = await runPiped(
      ["files", "abc123", "--api-key", "sk-wrong"],
      cleanEnv({ SLNG_BASE_URL: emuUrl, SLNG_API_KEY: "sk-also-wrong" }),
    );
    expect(fromFlag.code).toBe(3);
    expect(fromFlag.stderr).toContain("Check the key given with --api-key.");
  });
});
