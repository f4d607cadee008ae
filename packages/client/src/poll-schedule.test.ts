import { describe, expect, it } from "vitest";
import { type JobTimeline, PRIOR_SHARES, planNextPoll, predictProcessing } from "./poll-schedule.js";

const limits = { minMs: 500, uninformedMs: 1500, maxMs: 5000, maxPredictedMs: 60_000 };
const timeline = (over: Partial<JobTimeline>): JobTimeline => ({
  status: "DECODING",
  submittedAt: 0,
  startedAt: 1000,
  stageStarts: {},
  durationSeconds: 120,
  ...over,
});

describe("predictProcessing", () => {
  it("scales the stages already done by their share, or uses a known rate", () => {
    const decoding = timeline({ stageStarts: { DECODING: 4000 } });
    expect(predictProcessing(decoding, 5000, PRIOR_SHARES, undefined)?.totalMs).toBeCloseTo(
      3000 / PRIOR_SHARES.IN_PROGRESS,
    );
    expect(predictProcessing(decoding, 5000, PRIOR_SHARES, 0.25)).toEqual({ totalMs: 30_000, evidenceMs: Infinity });
    expect(predictProcessing(timeline({ status: "IN_PROGRESS" }), 2000, PRIOR_SHARES, undefined)).toBeUndefined();
    expect(predictProcessing(timeline({ status: "QUEUED" }), 2000, PRIOR_SHARES, 0.25)).toBeUndefined();
  });

  it("stretches a prediction the current stage has outlasted", () => {
    const decoding = timeline({ stageStarts: { DECODING: 1100 } });
    const total = predictProcessing(decoding, 60_000, PRIOR_SHARES, undefined)?.totalMs ?? 0;
    expect(total).toBeGreaterThan(59_000);
  });
});

describe("planNextPoll", () => {
  const decoding = timeline({ stageStarts: { DECODING: 4000 } });
  const end = 1000 + 3000 / PRIOR_SHARES.IN_PROGRESS;

  it("sleeps most of the way to the predicted end, then polls just past it", () => {
    const far = planNextPoll(decoding, 5000, limits, PRIOR_SHARES, undefined);
    expect(far).toBeGreaterThan((end - 5000) * 0.5);
    expect(far).toBeLessThan(end - 5000);
    const near = planNextPoll(decoding, end - 200, limits, PRIOR_SHARES, undefined);
    expect(near).toBeGreaterThanOrEqual(500);
    expect(end - 200 + near).toBeGreaterThan(end);
  });

  it("backs off geometrically once the prediction is overrun, within max", () => {
    const rateEnd = 1000 + 120 * 0.25 * 1000;
    const late = (ms: number) => planNextPoll(decoding, rateEnd + ms, limits, PRIOR_SHARES, 0.25);
    expect(late(4000)).toBe(2000);
    expect(late(60_000)).toBe(5000);
  });

  it("without a prediction waits as long as the job has existed, within uninformed..max", () => {
    expect(planNextPoll(timeline({ status: "QUEUED" }), 200, limits, PRIOR_SHARES, undefined)).toBe(1500);
    expect(planNextPoll(timeline({ status: "IN_PROGRESS" }), 3000, limits, PRIOR_SHARES, undefined)).toBe(3000);
    expect(planNextPoll(timeline({ status: "QUEUED" }), 90_000, limits, PRIOR_SHARES, undefined)).toBe(5000);
  });
});
