import { describe, expect, it } from "vitest";
import { MAX_OLD, planWindow } from "./poll-window.js";

const range = (n: number, from: number, step = 10) => Array.from({ length: n }, (_, i) => from + i * step);

describe("planWindow", () => {
  it("starts at the earliest outstanding job when the window since it is one page", () => {
    const plan = planWindow(
      [
        { id: "a", at: 5_000 },
        { id: "b", at: 6_000 },
      ],
      range(50, 5_000),
    );
    expect(plan).toEqual({ old: [], after: 4_000 });
  });

  it("fetches a long straggler by GET instead of re-reading every page submitted since it", () => {
    const outstanding = [{ id: "long", at: 0 }, ...range(5, 1_000_000).map((at, i) => ({ id: `s${i}`, at }))];
    const submitted = [0, ...range(3_000, 10_000, 300)];
    const plan = planWindow(outstanding, submitted);
    expect(plan.old).toEqual(["long"]);
    expect(plan.after).toBe(1_000_000 - 1000);
  });

  it("fetches a few old jobs one by one, but never more than MAX_OLD", () => {
    const recent = range(5_000, 100_000, 1000);
    const outstanding = (n: number) => [
      ...range(n, 0, 1).map((at) => ({ id: `o${at}`, at })),
      { id: "new", at: 9_000_000 },
    ];
    expect(planWindow(outstanding(5), [...range(5, 0, 1), ...recent]).old).toEqual(["o0", "o1", "o2", "o3", "o4"]);
    expect(planWindow(outstanding(MAX_OLD + 4), [...range(MAX_OLD + 4, 0, 1), ...recent]).old).toEqual([]);
  });

  it("on a tie prefers the GET (a smaller answer than a page)", () => {
    const plan = planWindow(
      [
        { id: "a", at: 0 },
        { id: "b", at: 100_000 },
      ],
      [0, ...range(150, 1_000, 10), ...range(40, 100_000)],
    );
    expect(plan.old).toEqual(["a"]);
  });
});
