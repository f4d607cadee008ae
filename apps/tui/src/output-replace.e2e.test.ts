import { existsSync } from "node:fs";
import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped, runPty } from "./test-utils/cli-process.js";
import { HOSTILE, startHostileApi } from "./test-utils/hostile-api.js";

// Writes replace, never follow: a symlink at the target of -o --force or of `s` is replaced, its target untouched.
let api: Awaited<ReturnType<typeof startHostileApi>>;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  api = await startHostileApi();
  dir = await mkdtemp(join(tmpdir(), "slng-tui-replace-"));
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ SLNG_BASE_URL: api.url });

describe("writes replace a symlink at the target, never follow it", () => {
  it("transcript -o link --force", async () => {
    const precious = join(dir, "precious.txt");
    await writeFile(precious, "the user's file");
    const link = join(dir, "t.txt");
    await symlink(precious, link);
    const refused = await runPiped(["transcript", "hostileDone", "-o", link], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists: pass --force/);
    const forced = await runPiped(["transcript", "hostileDone", "-o", link, "--force"], env());
    expect(forced.code, forced.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(false);
    expect(await readFile(link, "utf8")).toBe(HOSTILE.transcript);
    expect(await readFile(precious, "utf8")).toBe("the user's file");
  });

  it("the s key of watch, pressed twice over a symlink", async () => {
    const cwd = await mkdtemp(join(dir, "cwd-"));
    const precious = join(dir, "notes.txt");
    await writeFile(precious, "my notes");
    await symlink(precious, join(cwd, "hostileDone.txt"));
    const run = runPty(
      "/bin/sh",
      ["-c", `cd '${cwd}' && exec '${process.execPath}' '${CLI}' watch hostileDone --stay`],
      env(),
      { cols: 120, rows: 30 },
    );
    await run.waitFor("s save outputs");
    run.write("s");
    await run.waitFor("press s again to overwrite");
    run.write("s");
    await run.waitFor(/Saved hostileDone\.json/);
    run.write("q");
    expect(await run.exit).toBe(0);
    expect(await readFile(precious, "utf8")).toBe("my notes");
    expect((await lstat(join(cwd, "hostileDone.txt"))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(cwd, "hostileDone.txt"), "utf8")).toBe(HOSTILE.transcript);
  });
});
