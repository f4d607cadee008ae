import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { summarize, writeReport } from "./report.js";
import type { InputRecord } from "./types.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Every object key in `value`, at any depth. */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      keysOf(v, into);
    }
  return into;
}

describe("bulk-report.json", () => {
  it("names every field in snake_case, the totals as the rows, and lists failures by input", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slng-report-"));
    dirs.push(dir);
    const records: InputRecord[] = [
      { key: "a.wav", state: "done", jobId: "bk1", audioSeconds: 2, processingSeconds: 1, claimed: ["txt"] },
      { key: "b.wav", state: "failed", jobId: "bk2", error: "the job failed", cause: "job" },
      { key: "c.wav", state: "failed", jobId: "bk3", error: "refused: bad config", cause: "refused" },
    ];
    const summary = await summarize(records, {
      requests: 9,
      elapsedMs: 1234,
      fatal: { kind: "auth", message: "Not authorised (403)" },
    });
    const report = JSON.parse(await readFile(await writeReport(dir, summary, records), "utf8"));
    expect(keysOf(report).filter((k) => !/^[a-z0-9]+(_[a-z0-9]+)*$/.test(k))).toEqual([]);
    expect(report).toMatchObject({
      total: 3,
      counts: { done: 1, failed: 2 },
      audio_seconds_done: 2,
      requests: 9,
      elapsed_ms: 1234,
      detached: false,
      fatal: { kind: "auth", message: "Not authorised (403)" },
      failed: [
        { input: "b.wav", job_id: "bk2", error: "the job failed", cause: "job" },
        { input: "c.wav", job_id: null, error: "refused: bad config", cause: "refused" },
      ],
    });
    expect(report.generated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.inputs.map((r: { input: string }) => r.input)).toEqual(["a.wav", "b.wav", "c.wav"]);
  });
});
