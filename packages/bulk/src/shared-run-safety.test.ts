import { lstat, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import postgres from "pg";
import { describe, expect, inject, it } from "vitest";
import type { BulkOptions } from "./options.js";
import { REPORT_FILE } from "./report.js";
import { allJobs, creates, type Harness, harnessPerTest, sharedWorker, uniqueRunName } from "./test-support.js";

const pg = inject("pg");
const runName = () => uniqueRunName("s");

const start = harnessPerTest();

const shared = (h: Harness, run: string, extra: Partial<BulkOptions> = {}) => sharedWorker(h, pg.url, run, extra);

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

describe("a shared-run worker whose lease lapsed mid-download", () => {
  it("claims it again but never works the input twice (a second download would find its own output unclaimed)", async () => {
    const h = await start();
    await writeInputs(h, ["a.wav"]);
    const run = runName();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let files = 0;
    h.intercept = async (_req, seen) => {
      if (seen.method === "GET" && seen.path.endsWith("/files") && ++files === 1) await held;
      return undefined;
    };
    const db = new postgres.Client({ connectionString: pg.url });
    await db.connect();
    try {
      const working = shared(h, run);
      while (files === 0) await new Promise((r) => setTimeout(r, 10));
      await db.query("UPDATE slng_bulk_inputs SET lease_owner = NULL, lease_until = NULL WHERE run = $1", [run]);
      const claimedAgain = async () =>
        (await db.query("SELECT 1 FROM slng_bulk_inputs WHERE run = $1 AND lease_owner IS NOT NULL", [run])).rowCount;
      while (!(await claimedAgain())) await new Promise((r) => setTimeout(r, 10));
      release();
      const { summary } = await working;
      expect(summary.counts).toMatchObject({ done: 1, failed: 0 });
      expect(files).toBe(1);
    } finally {
      release();
      await db.end();
    }
  });
});
