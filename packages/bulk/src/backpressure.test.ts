import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { creates, harnessPerTest, runOver, writeRecordings } from "./test-support.js";
import type { BulkEvent } from "./types.js";

const start = harnessPerTest();

describe("the creates wait for the downloads (a one-process run)", () => {
  it("with more finished jobs to save than 4 × concurrency, no create starts until the backlog is under that bound", async () => {
    const h = await start();
    const dir = join(h.dir, "in");
    await writeRecordings(dir, 20, 0.05);
    const stop = new AbortController();
    h.intercept = (_req, seen) =>
      seen.method === "GET" && seen.path.endsWith("/files") ? new Promise<Response>(() => {}) : undefined;
    let downloading = 0;
    const first = await runOver(h, [dir], {
      concurrency: 16,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === "input" && e.state === "downloading" && ++downloading === 20) stop.abort();
      },
    });
    expect(first.summary.counts.downloading).toBe(20);
    await mkdir(join(dir, "extra"));
    for (let i = 0; i < 30; i++)
      await writeFile(join(dir, "extra", `new${i}.wav`), createSampleWav({ seconds: 0.05, seed: 1000 + i }));
    h.intercept = undefined;
    const order: string[] = [];
    const onEvent = (e: BulkEvent) => {
      if (e.type === "input" && (e.state === "uploading" || e.state === "done")) order.push(e.state);
    };
    const { summary } = await runOver(h, [dir], { concurrency: 2, onEvent });
    expect(summary.counts.done).toBe(50);
    expect(creates(h)).toBe(50);
    const doneBeforeFirstCreate = order.indexOf("uploading");
    expect(doneBeforeFirstCreate).toBeGreaterThanOrEqual(20 - (4 * 2 - 1));
  });
});
