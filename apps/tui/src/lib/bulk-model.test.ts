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
