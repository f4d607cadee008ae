import { describe, expect, it } from "vitest";
import { LOOPBACK_PACE, REMOTE_PACE, watchPace } from "./watch-pace.js";

const API = "https://api.batch.slng.ai";

describe("watchPace", () => {
  it("against the API: a poll lands in every stage of 1 s or longer, with room for a round trip", () => {
    // In IN_PROGRESS and DECODING the next stage may last 1 s: a poll at most every 0.7 s.
    for (const status of ["IN_PROGRESS", "DECODING"] as const)
      expect(watchPace(API, status).maxIntervalMs).toBeLessThanOrEqual(700);
    // Queued: IN_PROGRESS and DECODING together last at least 2 s, and either one times both.
    expect(watchPace(API, "QUEUED").maxIntervalMs).toBeLessThanOrEqual(1500);
    expect(watchPace(API).maxIntervalMs).toBeLessThanOrEqual(1500);
    // POST_PROCESSING ends at completed_at: no need to hurry.
    expect(watchPace(API, "POST_PROCESSING")).toBe(REMOTE_PACE.finishing);
    for (const p of Object.values(REMOTE_PACE)) expect(p.minIntervalMs).toBeLessThanOrEqual(p.maxIntervalMs);
  });

  it("against a loopback emulator: faster than its default 0.4 s stages while they could be missed", () => {
    for (const url of ["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010"])
      expect(watchPace(url, "DECODING")).toBe(LOOPBACK_PACE.processing);
    expect(LOOPBACK_PACE.processing.maxIntervalMs).toBeLessThan(400);
    // The default emulator's IN_PROGRESS and DECODING last 1.2 s together or more.
    expect(LOOPBACK_PACE.queued.maxIntervalMs).toBeLessThanOrEqual(1000);
    expect(watchPace("not a url", "DECODING")).toBe(REMOTE_PACE.processing);
  });
});
