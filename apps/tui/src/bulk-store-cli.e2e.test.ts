import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";

let dir: string;
let closedPort: number;
/** The API answers (the key is checked first, exit 3 when it does not): what fails here is the store. */
let emulator: Emulator;
let api: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  dir = await mkdtemp(join(tmpdir(), "slng-tui-store-"));
  emulator = createEmulator({ rtf: 0, minStageMs: 0 });
  const { url: baseUrl } = await emulator.listen({ host: "127.0.0.1", port: 0 });
  api = { SLNG_API_KEY: DEFAULT_API_KEY, SLNG_BASE_URL: baseUrl };
  await writeFile(join(dir, "a.wav"), createSampleWav({ seconds: 0.2 }));
  closedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
});
afterAll(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true });
});

const SECRET = "hunter2SecretPw";
const url = () => `postgres://slng:${SECRET}@127.0.0.1:${closedPort}/bulk`;

describe("slng-batch bulk --store", () => {
  it("a store that cannot be reached exits 2, names it without the password, in text and --json", async () => {
    const text = await runPiped(
      ["bulk", join(dir, "a.wav"), "--out", join(dir, "out"), "--store", url(), "--run", "r1"],
      cleanEnv(api),
    );
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(
      new RegExp(
        `^error: cannot open the bulk store postgres://slng@127\\.0\\.0\\.1:${closedPort}/bulk: nothing answers`,
      ),
    );
    expect((text.stdout + text.stderr).match(/cannot open the bulk store/g)).toHaveLength(1);
    expect(text.stdout).toBe("");
    expect(text.stdout + text.stderr).not.toContain(SECRET);
    const json = await runPiped(
      ["bulk", join(dir, "a.wav"), "--out", join(dir, "out"), "--run", "r1", "--json"],
      cleanEnv({ ...api, SLNG_BULK_STORE: url() }),
    );
    expect(json.code).toBe(2);
    expect(json.stdout).toMatch(/"type":"fatal".*"kind":"local".*cannot open the bulk store/);
    expect(json.stdout + json.stderr).not.toContain(SECRET);
  });

  it("--status exits 2 the same way, and needs --store and --run", async () => {
    const status = await runPiped(["bulk", "--status", "--store", url(), "--run", "r1"], cleanEnv({}));
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/cannot open the bulk store/);
    expect(status.stdout + status.stderr).not.toContain(SECRET);
    const missing = await runPiped(["bulk", "--status", "--run", "r1"], cleanEnv({}));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--run needs --store/);
  });
});
