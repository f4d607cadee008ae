import { lstat, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { BulkOptions } from "./options.js";
import { REPORT_FILE } from "./report.js";
import { allJobs, type Harness, harness, runOver } from "./test-support.js";

const pg = inject("pg");
let runs = 0;
const runName = () => `s${process.pid}-${++runs}-${Math.random().toString(36).slice(2, 6)}`;

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cleanup()));
});
async function start() {
  const h = await harness();
  open.push(h);
  return h;
}
const creates = (h: Harness) => h.seen.filter((s) => s.method === "POST" && s.path === "/v1/batch/jobs").length;

/** One in-process worker of the shared run `run` over `<dir>/in`, into `<dir>/out`. */
const shared = (h: Harness, run: string, extra: Partial<BulkOptions> = {}) =>
  runOver(h, [join(h.dir, "in")], { store: pg.url, run, leaseMs: 2000, ...extra });

async function writeInputs(h: Harness, names: string[]) {
  await mkdir(join(h.dir, "in"), { recursive: true });
  for (const [i, name] of names.entries())
    await writeFile(join(h.dir, "in", name), createSampleWav({ seconds: 0.3, seed: i + 1 }));
}

describe("a shared run keeps bulk-safe's rules", () => {
  it("identical recordings share one job (one upload), their audio counts once, the report names the first", async () => {
    const h = await start();
    await mkdir(join(h.dir, "in"), { recursive: true });
    const wav = createSampleWav({ seconds: 1, seed: 7 });
    for (const name of ["a.wav", "b.wav", "c.wav"]) await writeFile(join(h.dir, "in", name), wav);
    await writeFile(join(h.dir, "in", "d.wav"), createSampleWav({ seconds: 0.5, seed: 8 }));
    const { summary, events } = await shared(h, runName(), { concurrency: 4 });
    expect(summary.counts.done).toBe(4);
    expect(creates(h)).toBe(2);
    const { jobs } = await allJobs(h);
    expect(jobs).toHaveLength(2);
    expect(events.filter((e) => e.type === "input" && e.reason === "shared")).toHaveLength(2);
    const audio = jobs.reduce((a, j) => a + (j.input_metadata?.duration_seconds ?? 0), 0);
    expect(summary.audioSecondsDone).toBeCloseTo(audio, 5);
    const text = await readFile(join(h.dir, "out", "a.txt"), "utf8");
    expect(await readFile(join(h.dir, "out", "c.txt"), "utf8")).toBe(text);
    const report = JSON.parse(await readFile(join(h.dir, "out", REPORT_FILE), "utf8"));
    expect(report.inputs.map((r: { same_job_as: string | null }) => r.same_job_as)).toEqual([
      null,
      "a.wav",
      "a.wav",
      null,
    ]);
  });

  it("an output path holding a file bulk did not write fails its input before any request; a rerun with overwrite replaces it", async () => {
    const h = await start();
    await writeInputs(h, ["a.wav", "b.wav"]);
    await mkdir(join(h.dir, "out"), { recursive: true });
    await writeFile(join(h.dir, "out", "a.txt"), "the user's notes");
    const run = runName();
    const first = await shared(h, run);
    expect(first.summary.counts).toMatchObject({ done: 1, failed: 1 });
    expect(first.summary.failed[0]).toMatchObject({
      key: "a.wav",
      error: expect.stringMatching(/out\/a\.txt exists and was not written by this bulk run.*--overwrite/),
    });
    expect(creates(h)).toBe(1);
    expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).toBe("the user's notes");
    const kept = await shared(h, run);
    expect(kept.summary.counts).toMatchObject({ done: 1, failed: 1 });
    expect(creates(h)).toBe(1);
    const replaced = await shared(h, run, { overwrite: true });
    expect(replaced.summary.counts).toMatchObject({ done: 2, failed: 0 });
    expect(creates(h)).toBe(2);
    expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).not.toBe("the user's notes");
  });

  it("refuses an output under a symlinked folder inside --out: no job for it, nothing written outside", async () => {
    const h = await start();
    await mkdir(join(h.dir, "in", "linked"), { recursive: true });
    await writeInputs(h, ["linked/x.wav", "y.wav"]);
    await mkdir(join(h.dir, "elsewhere"));
    await mkdir(join(h.dir, "out"));
    await symlink(join(h.dir, "elsewhere"), join(h.dir, "out", "linked"));
    const { summary } = await shared(h, runName(), { overwrite: true });
    expect(summary.counts).toMatchObject({ done: 1, failed: 1 });
    expect(summary.failed[0]?.error).toMatch(/outside the output folder/);
    expect(creates(h)).toBe(1);
    expect(await readdir(join(h.dir, "elsewhere"))).toEqual([]);
    expect((await lstat(join(h.dir, "out", "linked"))).isSymbolicLink()).toBe(true);
  });
});
