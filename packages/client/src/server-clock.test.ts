import { describe, expect, it } from "vitest";
import { serverClock } from "./server-clock.js";

describe("ServerClock", () => {
  it("is 0 until an answer says otherwise", () => {
    expect(serverClock().offsetMs).toBe(0);
    expect(serverClock().toLocal("2026-01-01T00:00:00.000Z")).toBe(Date.parse("2026-01-01T00:00:00.000Z"));
    expect(serverClock().toLocal(null)).toBeNaN();
  });

  it("narrows the offset from Date headers (second resolution) and body timestamps", () => {
    const clock = serverClock();
    const local = Date.parse("2026-01-01T12:00:00.000Z");
    const server = local + 3_600_000 + 400;
    clock.observe(local - 20, local, new Date(Math.floor(server / 1000) * 1000).toUTCString(), []);
    expect(Math.abs(clock.offsetMs - 3_600_400)).toBeLessThanOrEqual(600);
    clock.observe(local + 1000, local + 1010, null, [server + 1000 - 5]);
    expect(Math.abs(clock.offsetMs - 3_600_400)).toBeLessThanOrEqual(350);
  });

  it("uses body timestamps alone when there is no Date header (the server cannot be behind them)", () => {
    const clock = serverClock();
    clock.observe(1000, 1010, null, [1010 + 600_000]);
    expect(clock.offsetMs).toBe(600_000);
  });

  it("starts again when a clock steps and the bounds contradict each other", () => {
    const clock = serverClock();
    const t = Date.parse("2026-01-01T12:00:00.000Z");
    clock.observe(t, t + 10, new Date(t).toUTCString(), []);
    clock.observe(t + 20, t + 30, new Date(t + 7_200_000).toUTCString(), []);
    expect(Math.abs(clock.offsetMs - 7_200_000)).toBeLessThanOrEqual(1000);
  });
});
