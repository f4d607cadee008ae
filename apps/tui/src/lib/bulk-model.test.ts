import type { BulkEvent } from "@slng/bulk";
import { describe, expect, it } from "vitest";
import { applyBulkEvent, initialBulkState } from "./bulk-model.js";

const done = (key: string, jobId: string, audioSeconds: number): BulkEvent => ({
  type: "input",
  key,
  previous: "downloading",
  state: "done",
  jobId,
  audioSeconds,
});

describe("the bulk view's audio count", () => {
  it("counts the audio of identical recordings (one shared job) once", () => {
    const s = initialBulkState("out", 0);
    applyBulkEvent(s, { type: "plan", total: 3, skippedFiles: [], alreadyDone: 0, resumed: 0 }, 0);
    for (const e of [done("a.wav", "bk1", 60), done("copy-of-a.wav", "bk1", 60), done("b.wav", "bk2", 30)])
      applyBulkEvent(s, e, 1000);
    expect(s.counts.done).toBe(3);
    expect(s.audioSecondsDone).toBe(90);
    expect(s.audioSecondsThisRun).toBe(90);
  });
});

describe("the bulk view's counts in a shared run", () => {
  const counts = (done: number, queued: number, pending: number) => ({
    pending,
    uploading: 0,
    queued,
    processing: 0,
    downloading: 0,
    done,
    failed: 0,
  });

  it("follow the store's run_progress (every worker's work), not only this worker's events", () => {
    const s = initialBulkState("out", 0);
    applyBulkEvent(s, { type: "plan", total: 4, skippedFiles: [], alreadyDone: 0, resumed: 0 }, 0);
    applyBulkEvent(s, { type: "input", key: "a.wav", previous: "pending", state: "queued", jobId: "bk1" }, 1);
    applyBulkEvent(s, { type: "run_progress", total: 4, counts: counts(3, 1, 0) }, 2);
    expect(s.counts).toEqual(counts(3, 1, 0));
    applyBulkEvent(s, done("a.wav", "bk1", 10), 3);
    expect(s.counts.done).toBe(3);
    expect(s.audioSecondsDone).toBe(10);
    applyBulkEvent(s, { type: "run_progress", total: 4, counts: counts(4, 0, 0) }, 4);
    expect(s.counts.done).toBe(4);
  });

  it("end as the summary says, whatever the events showed", () => {
    const s = initialBulkState("out", 0);
    applyBulkEvent(s, { type: "plan", total: 2, skippedFiles: [], alreadyDone: 0, resumed: 0 }, 0);
    applyBulkEvent(s, { type: "input", key: "a.wav", previous: "pending", state: "queued", jobId: "bk1" }, 1);
    const summary = {
      total: 2,
      counts: counts(2, 0, 0),
      failed: [],
      audioSecondsDone: 0,
      detached: false,
      requests: 3,
      elapsedMs: 10,
    };
    applyBulkEvent(s, { type: "summary", summary }, 2);
    expect(s.counts).toEqual(counts(2, 0, 0));
  });
});
