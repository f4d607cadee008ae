import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { runBulk } from "./engine.js";
import { BASE, creates, harnessPerTest, KEY, runOver } from "./test-support.js";

const start = harnessPerTest();

async function recordings(dir: string, names: string[]) {
  for (const [i, name] of names.entries()) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), createSampleWav({ seconds: 0.3, seed: 50 + i }));
  }
}

describe("bulk owns only what it wrote", () => {
  it("skips and reports an input whose output exists and is not its own, sending nothing for it; --overwrite replaces it", async () => {
    const h = await start();
    await recordings(join(h.dir, "in"), ["a.wav", "b.wav"]);
    await mkdir(join(h.dir, "out"));
    await writeFile(join(h.dir, "out", "a.txt"), "my notes");
    const first = await runOver(h, [join(h.dir, "in")]);
    expect(first.summary.counts.done).toBe(1);
    expect(first.summary.failed).toEqual([
      {
        key: "a.wav",
        error: expect.stringMatching(/out\/a\.txt exists and was not written by this bulk run.*--overwrite/),
        cause: "output",
      },
    ]);
    expect(creates(h)).toBe(1);
    expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).toBe("my notes");
    const replaced = await runOver(h, [join(h.dir, "in")], { overwrite: true });
    expect(replaced.summary.counts.done).toBe(2);
    expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).not.toBe("my notes");
  });

  it("never writes through a symlink at an output path: someone else's is refused, its own is replaced", async () => {
    const h = await start();
    await recordings(join(h.dir, "in"), ["a.wav", "b.wav"]);
    await writeFile(join(h.dir, "victim.txt"), "keep me");
    await mkdir(join(h.dir, "out"));
    await symlink(join(h.dir, "victim.txt"), join(h.dir, "out", "a.txt"));
    const first = await runOver(h, [join(h.dir, "in")]);
    expect(first.summary.failed.map((f) => f.key)).toEqual(["a.wav"]);
    await rm(join(h.dir, "out", "b.txt"));
    await symlink(join(h.dir, "victim.txt"), join(h.dir, "out", "b.txt"));
    const again = await runOver(h, [join(h.dir, "in")], { overwrite: true });
    expect(again.summary.counts.done).toBe(2);
    expect(await readFile(join(h.dir, "victim.txt"), "utf8")).toBe("keep me");
    for (const name of ["a.txt", "b.txt"]) expect((await lstat(join(h.dir, "out", name))).isFile()).toBe(true);
  });

  it("an output that appears while its job runs is not overwritten; removed, a rerun saves it with no new job", async () => {
    const h = await start();
    await recordings(join(h.dir, "in"), ["a.wav"]);
    h.after = async (seen, res) => {
      if (seen.method === "POST" && seen.path === "/v1/batch/jobs")
        await writeFile(join(h.dir, "out", "a.txt"), "mine");
      return res;
    };
    const first = await runOver(h, [join(h.dir, "in")]);
    expect(first.summary.failed[0]?.error).toMatch(/exists and was not written by this bulk run/);
    expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).toBe("mine");
    h.after = undefined;
    await rm(join(h.dir, "out", "a.txt"));
    const again = await runOver(h, [join(h.dir, "in")]);
    expect(again.summary.counts.done).toBe(1);
    expect(creates(h)).toBe(1);
  });
});

describe("outputs stay inside --out by real path", () => {
  it("refuses an output under a symlinked folder inside --out and writes nothing outside", async () => {
    const h = await start();
    await recordings(join(h.dir, "in"), ["linked/x.wav", "plain/y.wav"]);
    await mkdir(join(h.dir, "elsewhere"));
    await mkdir(join(h.dir, "out"));
    await symlink(join(h.dir, "elsewhere"), join(h.dir, "out", "linked"));
    const { summary } = await runOver(h, [join(h.dir, "in")], { overwrite: true });
    expect(summary.failed).toEqual([
      { key: "linked/x.wav", error: expect.stringMatching(/leads outside the output folder/), cause: "output" },
    ]);
    expect(summary.counts.done).toBe(1);
    expect(creates(h)).toBe(1);
    expect(await readdir(join(h.dir, "elsewhere"))).toEqual([]);
  });

  it("a manifest's output through a symlinked folder is refused too (and a deeper one creates no folder outside)", async () => {
    const h = await start();
    await recordings(join(h.dir, "in"), ["m.wav"]);
    await mkdir(join(h.dir, "elsewhere"));
    await mkdir(join(h.dir, "out"));
    await symlink(join(h.dir, "elsewhere"), join(h.dir, "out", "linked"));
    const run = runBulk({
      inputs: [{ key: "linked/deep/x.wav", path: join(h.dir, "in", "m.wav") }],
      outDir: join(h.dir, "out"),
      client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch, maxRetries: 3 },
      pollIntervalMs: { min: 5, max: 40 },
    });
    for await (const _ of run);
    const summary = await run.done;
    expect(summary.failed[0]?.error).toMatch(/leads outside the output folder/);
    expect(await readdir(join(h.dir, "elsewhere"))).toEqual([]);
  });
});
