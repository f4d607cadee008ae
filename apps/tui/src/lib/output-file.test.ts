import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config.js";
import { checkOutputPath, writeOutputFile } from "./output-file.js";

describe("-o: writes replace, never follow", () => {
  let dir: string;
  let elsewhere: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "slng-out-"));
    elsewhere = join(dir, "precious.txt");
    await writeFile(elsewhere, "the user's file");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--force onto a symlink replaces the link with the file; the link's target is untouched", async () => {
    const link = join(dir, "out.txt");
    await symlink(elsewhere, link);
    await checkOutputPath(link, { force: true });
    await writeOutputFile(link, "transcript\n", { force: true });
    expect((await lstat(link)).isSymbolicLink()).toBe(false);
    expect(await readFile(link, "utf8")).toBe("transcript\n");
    expect(await readFile(elsewhere, "utf8")).toBe("the user's file");
    expect((await readdir(dir)).sort()).toEqual(["out.txt", "precious.txt"]);
  });

  it("--force onto a symlink to a folder replaces the link, writes nothing in the folder", async () => {
    const link = join(dir, "out.txt");
    await symlink(tmpdir(), link);
    await checkOutputPath(link, { force: true });
    await writeOutputFile(link, "x\n", { force: true });
    expect(await readFile(link, "utf8")).toBe("x\n");
  });

  it("--force over a regular file replaces its content", async () => {
    const file = join(dir, "t.txt");
    await writeFile(file, "old");
    await writeOutputFile(file, "new\n", { force: true });
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect((await readdir(dir)).sort()).toEqual(["precious.txt", "t.txt"]);
  });

  it("without --force a symlink (even a dangling one) counts as an existing file", async () => {
    const link = join(dir, "out.txt");
    await symlink(join(dir, "nowhere.txt"), link);
    await expect(checkOutputPath(link)).rejects.toThrow(/already exists: pass --force/);
    await expect(writeOutputFile(link, "x")).rejects.toBeInstanceOf(ConfigError);
    expect(await readlink(link)).toBe(join(dir, "nowhere.txt"));
    expect((await readdir(dir)).sort()).toEqual(["out.txt", "precious.txt"]);
  });

  it("a folder that does not exist is a clear error and leaves no temp file", async () => {
    await expect(writeOutputFile(join(dir, "no", "t.txt"), "x", { force: true })).rejects.toThrow(/does not exist/);
    expect((await readdir(dir)).sort()).toEqual(["precious.txt"]);
  });
});
