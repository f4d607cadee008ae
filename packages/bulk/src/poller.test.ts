import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createSampleWav } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { BASE, type Harness, harness, KEY, runOver, writeRecordings } from "./test-support.js";
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
    let created = 0;
    const hold = (job: Record<string, unknown>) =>
      created < 4 ? { ...job, status: "IN_PROGRESS", completed_at: null } : job;
    h.after = async (seen, res) => {
      if (!res.ok || !seen.path.startsWith("/v1/batch/jobs")) return res;
      if (seen.method === "POST" && res.status === 202) created++;
      if (seen.method !== "GET" || created >= 4) return res;
      if (seen.path === "/v1/batch/jobs") {
        const body = (await res.json()) as { items: Record<string, unknown>[] };
        return Response.json({ ...body, items: body.items.map(hold) });
      }
      if (/^\/v1\/batch\/jobs\/[^/]+$/.test(seen.path))
        return Response.json(hold((await res.json()) as Record<string, unknown>));
      return res;
    };
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
    const hold = (job: Record<string, unknown>) =>
      held && job.job_id === straggler ? { ...job, status: "IN_PROGRESS", completed_at: null } : job;
    h.after = async (seen, res) => {
      if (seen.method !== "GET" || !seen.path.startsWith("/v1/batch/jobs") || !res.ok || !straggler) return res;
      if (seen.path === "/v1/batch/jobs") {
        const body = (await res.json()) as { items: Record<string, unknown>[] };
        return Response.json({ ...body, items: body.items.map(hold) });
      }
      if (seen.path === `/v1/batch/jobs/${straggler}`)
        return Response.json(hold((await res.json()) as Record<string, unknown>));
      return res;
    };
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
