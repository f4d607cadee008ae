import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import type { BulkOptions } from "./options.js";
import { openPgStore } from "./pg-store.js";
import { creates, type Harness, harnessPerTest, sharedWorker, uniqueRunName, writeRecordings } from "./test-support.js";

const pg = inject("pg");
const runName = () => uniqueRunName("r");
const start = harnessPerTest();

const worker = (h: Harness, run: string, extra: Partial<BulkOptions> = {}) => sharedWorker(h, pg.url, run, extra);

describe("--retry-failed in a shared run", () => {
  it("puts the run's failed inputs back for a new attempt (a new job id); without it they stay failed", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    await writeFile(join(h.dir, "in", "broken.wav"), Buffer.from("RIFF....WAVEnot really audio at all"));
    const run = runName();
    const first = await worker(h, run);
    expect(first.summary.counts).toMatchObject({ done: 2, failed: 1 });
    const failedJob = first.summary.failed[0]?.jobId;
    expect(failedJob).toBeDefined();
    h.seen.length = 0;
    const kept = await worker(h, run);
    expect(kept.summary.counts).toMatchObject({ done: 2, failed: 1 });
    expect(creates(h)).toBe(0);
    const retried = await worker(h, run, { retryFailed: true });
    expect(creates(h)).toBe(1);
    expect(retried.summary.counts).toMatchObject({ done: 2, failed: 1 });
    expect(retried.summary.failed[0]).toMatchObject({ key: "broken.wav", cause: "job" });
    expect(retried.summary.failed[0]?.jobId).not.toBe(failedJob);
    const announced = retried.events.filter((e) => e.type === "input" && e.reason === "retry");
    expect(announced).toEqual([
      expect.objectContaining({ key: "broken.wav", state: "pending", previous: "failed", reason: "retry" }),
    ]);
  });

  it("workers joining with it at the same moment put each failed input back once (one new attempt, not one per worker)", async () => {
    const run = runName();
    const join = (retryFailed: boolean) => ({
      settings: { formats: ["txt"] },
      keys: ["k1", "k2", "k3"],
      notice: () => {},
      signal: new AbortController().signal,
      retryFailed,
    });
    const stores = [0, 1, 2].map((i) => openPgStore({ url: pg.url, run, owner: `w${i}` }));
    const [a, b, c] = stores as [(typeof stores)[0], (typeof stores)[0], (typeof stores)[0]];
    try {
      await a.join(join(false));
      await a.claim({ downloads: 0, creates: 3 });
      await a.append({ key: "k1", state: "uploading", jobId: "job1", sha256: "aa", attempt: 2 });
      await a.append({ key: "k1", state: "failed", error: "the job failed", cause: "job", saved: ["txt"] });
      await a.append({ key: "k2", state: "failed", error: "refused", cause: "refused", sha256: "bb" });
      await a.append({ key: "k3", state: "uploading", jobId: "job3" });
      const joined = await Promise.all([b.join(join(true)), c.join(join(true))]);
      expect(joined.flatMap((j) => j.retried).sort()).toEqual(["k1", "k2"]);
      const records = await a.records();
      expect(records.find((r) => r.key === "k1")).toEqual({
        key: "k1",
        state: "pending",
        sha256: "aa",
        attempt: 3,
        claimed: ["txt"],
      });
      expect(records.find((r) => r.key === "k2")).toEqual({ key: "k2", state: "pending", sha256: "bb" });
      expect(records.find((r) => r.key === "k3")).toMatchObject({ state: "uploading", jobId: "job3" });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
