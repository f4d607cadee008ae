import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createSampleWav } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { BASE, countCreated, type Harness, harness, holdJobs, KEY, runOver, writeRecordings } from "./test-support.js";
import type { BulkEvent } from "./types.js";

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cleanup()));
});

/** Query strings of every list request the harness passes on. */
function listQueries(h: Harness): URLSearchParams[] {
  const queries: URLSearchParams[] = [];
  h.intercept = (req, seen) => {
    if (seen.method === "GET" && seen.path === "/v1/batch/jobs") queries.push(new URL(req.url).searchParams);
    return undefined;
  };
  return queries;
}

describe("polling bounded by what is outstanding", () => {
  it("on a key busy with other recent jobs, the window starts at the run's earliest job (server clock), not 120 s back", async () => {
    let shift = 60_000;
    const h = await harness({ now: () => Date.now() - shift });
    open.push(h);
    const other = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: (r) => h.emu.fetch(r) });
    const wav = createSampleWav({ seconds: 0.1, seed: 7 });
    for (let i = 0; i < 230; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, j) => other.jobs.create({ file: wav, filename: `o${i + j}.wav` })),
      );
    shift = 0;
    await writeRecordings(join(h.dir, "in"), 4);
    const queries = listQueries(h);
    // Every job reads as IN_PROGRESS until all four are created, so a poll sees four outstanding
    // (and lists) however the creates are spread out in time on a busy machine.
    const created = { n: 0 };
    holdJobs(h, () => created.n < 4, countCreated(created));
    const { summary } = await runOver(h, [join(h.dir, "in")]);
    expect(summary.counts.done).toBe(4);
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.filter((q) => q.get("page") !== "1")).toEqual([]);
    const earliest = Date.now() - 60_000 + 5_000;
    for (const q of queries) expect(Date.parse(q.get("submitted_after") as string)).toBeGreaterThan(earliest);
  });

  it("a straggler: while it is the only job left, each poll (after the one that saw the others finish) is one request, however many finished since it", async () => {
    const h = await harness();
    open.push(h);
    await mkdir(join(h.dir, "in"), { recursive: true });
    await writeFile(join(h.dir, "in", "a-long.wav"), createSampleWav({ seconds: 0.3, seed: 999 }));
    await writeRecordings(join(h.dir, "in", "short"), 130, 0.1);
    let straggler: string | undefined;
    let held = true;
    holdJobs(h, (job) => held && straggler !== undefined && job.job_id === straggler);
    let done = 0;
    const lonely: Extract<BulkEvent, { type: "poll" }>[] = [];
    const { summary } = await runOver(h, [join(h.dir, "in")], {
      concurrency: 8,
      onEvent: (e) => {
        if (e.type === "input" && e.key === "a-long.wav" && e.jobId) straggler = e.jobId;
        if (e.type === "input" && e.state === "done") done++;
        if (e.type === "poll" && done === 130) {
          lonely.push(e);
          if (lonely.length === 5) held = false;
        }
      },
    });
    expect(summary.counts.done).toBe(131);
    expect(lonely.length).toBeGreaterThanOrEqual(5);
    expect(lonely.slice(1, 5).map((p) => p.requests)).toEqual([1, 1, 1, 1]);
  });
});
