import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeApi } from "../test-utils/fake-api.js";
import { outputSaver, saveOutputs } from "./save-outputs.js";

describe("saving outputs (s)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "slng-save-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes every output as <jobId>.<format>", async () => {
    expect(await saveOutputs(new FakeApi(), "job123", dir)).toBe(`Saved job123.json, job123.txt, job123.srt in ${dir}`);
    expect(await readFile(join(dir, "job123.txt"), "utf8")).toContain("Hello world");
  });

  it("never overwrites silently: refuses naming the files, and s again overwrites", async () => {
    await writeFile(join(dir, "job123.txt"), "my notes");
    const save = outputSaver(new FakeApi(), dir);
    expect(await save("job123")).toBe(`Not saved: job123.txt already exists in ${dir} — press s again to overwrite`);
    expect(await readFile(join(dir, "job123.txt"), "utf8")).toBe("my notes");
    await expect(readFile(join(dir, "job123.json"), "utf8")).rejects.toThrow();
    expect(await save("job123")).toMatch(/^Saved job123\.json, job123\.txt, job123\.srt/);
    expect(await readFile(join(dir, "job123.txt"), "utf8")).toContain("Hello world");
  });

  it("a refusal for one job does not arm the overwrite of another", async () => {
    await writeFile(join(dir, "job123.txt"), "mine");
    await writeFile(join(dir, "other1.srt"), "mine too");
    const save = outputSaver(new FakeApi(), dir);
    expect(await save("job123")).toMatch(/^Not saved/);
    expect(await save("other1")).toMatch(/^Not saved: other1\.srt already exists/);
    expect(await readFile(join(dir, "other1.srt"), "utf8")).toBe("mine too");
  });

  it("a symlink at an output path is replaced on the second s, never written through", async () => {
    const outside = join(dir, "outside.txt");
    await writeFile(outside, "the user's file");
    await symlink(outside, join(dir, "job123.txt"));
    await symlink(join(dir, "missing.srt"), join(dir, "job123.srt"));
    const save = outputSaver(new FakeApi(), dir);
    expect(await save("job123")).toBe(
      `Not saved: job123.txt, job123.srt already exist in ${dir} — press s again to overwrite`,
    );
    expect(await save("job123")).toMatch(/^Saved job123\.json, job123\.txt, job123\.srt/);
    expect(await readFile(outside, "utf8")).toBe("the user's file");
    expect((await lstat(join(dir, "job123.txt"))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(dir, "job123.txt"), "utf8")).toContain("Hello world");
    expect((await lstat(join(dir, "job123.srt"))).isSymbolicLink()).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(["job123.json", "job123.srt", "job123.txt", "outside.txt"]);
  });
});
