import { cp, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { REPORT_FILE } from "./report.js";
import { allJobs, creates, harnessPerTest, runOver, writeRecordings } from "./test-support.js";

const start = harnessPerTest();

describe("an input is its content", () => {
  it("a touched file, or the folder copied elsewhere, is the same input: nothing is sent again", async () => {
    const h = await start();
    const rels = await writeRecordings(join(h.dir, "in"), 4);
    await runOver(h, [join(h.dir, "in")]);
    const later = new Date(Date.now() + 60_000);
    await utimes(join(h.dir, "in", rels[0] as string), later, later);
    await cp(join(h.dir, "in"), join(h.dir, "copy"), { recursive: true });
    h.seen.length = 0;
    const touched = await runOver(h, [join(h.dir, "in")]);
    const copied = await runOver(h, [join(h.dir, "copy")]);
    expect(h.seen).toEqual([]);
    for (const run of [touched, copied]) {
      expect(run.summary.counts.done).toBe(4);
      expect(run.events.some((e) => e.type === "input" && e.reason === "changed")).toBe(false);
    }
    h.seen.length = 0;
    await runOver(h, [join(h.dir, "copy")]);
    expect(h.seen).toEqual([]);
  });

  it("a file whose bytes changed is new work", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    await runOver(h, [join(h.dir, "in")]);
    await writeFile(join(h.dir, "in", "set0/day0/rec000.wav"), createSampleWav({ seconds: 0.3, seed: 99 }));
    const again = await runOver(h, [join(h.dir, "in")]);
    expect(again.events.filter((e) => e.type === "input" && e.reason === "changed")).toHaveLength(1);
    expect(creates(h)).toBe(3);
  });

  it("identical recordings share one job, are uploaded once, and their audio counts once", async () => {
    const h = await start();
    const wav = createSampleWav({ seconds: 2, seed: 7 });
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(h.dir, "in"), { recursive: true });
    for (const name of ["a.wav", "b.wav", "c.wav"]) await writeFile(join(h.dir, "in", name), wav);
    await writeFile(join(h.dir, "in", "d.wav"), createSampleWav({ seconds: 1, seed: 8 }));
    const { summary, events } = await runOver(h, [join(h.dir, "in")], { concurrency: 4 });
    expect(summary.counts.done).toBe(4);
    expect(creates(h)).toBe(2);
    const { jobs } = await allJobs(h);
    expect(jobs).toHaveLength(2);
    expect(events.filter((e) => e.type === "input" && e.reason === "shared")).toHaveLength(2);
    const perJob = new Map(jobs.map((j) => [j.job_id, j.input_metadata?.duration_seconds ?? 0]));
    expect(summary.audioSecondsDone).toBeCloseTo(
      [...perJob.values()].reduce((a, b) => a + b, 0),
      5,
    );
    const a = await readFile(join(h.dir, "out", "a.txt"), "utf8");
    expect(await readFile(join(h.dir, "out", "b.txt"), "utf8")).toBe(a);
    expect(await readFile(join(h.dir, "out", "c.txt"), "utf8")).toBe(a);
    const report = JSON.parse(await readFile(join(h.dir, "out", REPORT_FILE), "utf8"));
    expect(report.audio_seconds_done).toBe(summary.audioSecondsDone);
    expect(report.inputs.map((r: { same_job_as: string | null }) => r.same_job_as)).toEqual([
      null,
      "a.wav",
      "a.wav",
      null,
    ]);
  });
});
