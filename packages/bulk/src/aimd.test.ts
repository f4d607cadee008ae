import { afterEach, describe, expect, it, vi } from "vitest";
import { AimdLimiter } from "./aimd.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("AimdLimiter", () => {
  it("hands out at most `limit` slots", async () => {
    const l = new AimdLimiter(2);
    await l.acquire();
    await l.acquire();
    let third = false;
    l.acquire().then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    l.release();
    await Promise.resolve();
    expect(third).toBe(true);
  });

  it("halves on 429, pauses for Retry-After, then adds one back per `limit` successes", async () => {
    vi.useFakeTimers();
    let now = 0;
    const changes: number[] = [];
    const l = new AimdLimiter(
      8,
      () => now,
      (n) => changes.push(n),
    );
    l.rateLimited(2000);
    expect(l.limit).toBe(4);
    l.rateLimited(2000);
    expect(l.limit).toBe(4);
    let got = false;
    l.acquire().then(() => {
      got = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    now = 1000;
    expect(got).toBe(false);
    now = 2000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(got).toBe(true);
    for (let i = 0; i < 4; i++) l.success();
    expect(l.limit).toBe(5);
    now = 10_000;
    l.rateLimited(0);
    expect(l.limit).toBe(2);
    expect(changes).toEqual([4, 5, 2]);
  });

  it("never goes below one or above max", () => {
    let now = 0;
    const l = new AimdLimiter(2, () => now);
    for (let i = 0; i < 5; i++) {
      now += 5000;
      l.rateLimited(0);
    }
    expect(l.limit).toBe(1);
    for (let i = 0; i < 20; i++) l.success();
    expect(l.limit).toBe(2);
  });
});
