import { describe, expect, it } from "vitest";
import { LOOPBACK_PACE, REMOTE_PACE, watchPace } from "./watch-pace.js";

describe("watchPace", () => {
  it("polls the API often enough to see every stage of 1 s or longer, with room for a round trip", () => {
    expect(watchPace("https://api.batch.slng.ai")).toBe(REMOTE_PACE);
    expect(REMOTE_PACE.maxIntervalMs).toBeLessThanOrEqual(700);
    expect(REMOTE_PACE.minIntervalMs).toBeLessThanOrEqual(REMOTE_PACE.maxIntervalMs);
  });

  it("polls a loopback emulator faster than its default 0.4 s stages", () => {
    for (const url of ["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010"])
      expect(watchPace(url)).toBe(LOOPBACK_PACE);
    expect(LOOPBACK_PACE.maxIntervalMs).toBeLessThan(400);
    expect(watchPace("not a url")).toBe(REMOTE_PACE);
  });
});
