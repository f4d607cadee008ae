import { describe, expect, it } from "vitest";
import { deriveJobId } from "./job-id.js";
import { JobIdColumn, JobIdMap } from "./job-id-table.js";

const ids = (n: number, salt = "s") =>
  Array.from({ length: n }, (_, i) => deriveJobId({ salt, sha256: String(i), settings: {}, attempt: 0 }));

describe("JobIdColumn", () => {
  it("keeps bulk's ids packed and any other id as it is, by position", () => {
    const column = new JobIdColumn(4);
    const [a, b] = ids(2) as [string, string];
    column.set(0, a);
    column.set(1, "job_from_elsewhere");
    column.set(2, `BK${a.slice(2)}`);
    expect([0, 1, 2, 3].map((i) => column.get(i))).toEqual([a, "job_from_elsewhere", `BK${a.slice(2)}`, undefined]);
    column.set(1, b);
    column.set(0, undefined);
    expect([column.get(0), column.get(1)]).toEqual([undefined, b]);
  });
});

describe("JobIdMap", () => {
  it("holds thousands of ids through its growth, with their numbers, and tells ids it never saw", () => {
    const set = new JobIdMap();
    const made = ids(5000);
    for (const [i, id] of made.entries()) set.set(id, i);
    set.set(made[17] as string, 99);
    set.set("job-other", 7);
    expect(set.size).toBe(5001);
    expect(made.map((id) => set.get(id))).toEqual(made.map((_, i) => (i === 17 ? 99 : i)));
    expect(set.get("job-other")).toBe(7);
    expect(ids(5000, "other salt").some((id) => set.has(id))).toBe(false);
    expect(set.has(`${(made[3] as string).slice(0, 31)}0`)).toBe((made[3] as string).endsWith("0"));
    expect(set.has("job-other")).toBe(true);
  });
});
