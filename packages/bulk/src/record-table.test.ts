import { describe, expect, it } from "vitest";
import { deriveJobId } from "./job-id.js";
import { RecordTable } from "./record-table.js";
import type { InputRecord, JournalEntry } from "./types.js";

/** A small seeded random source (the test is the same on every run). */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** One journal entry with the fields a run writes, some of them in forms the columns cannot hold. */
function entry(r: () => number, key: string): JournalEntry {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const e: Record<string, unknown> = { key };
  const fields: [string, () => unknown][] = [
    ["state", () => pick(["pending", "uploading", "queued", "processing", "downloading", "done", "failed", "odd"])],
    ["size", () => pick([0, 844, 1.5e9])],
    ["mtimeMs", () => 1796564847945.123 + r()],
    ["sha256", () => pick(["ab".repeat(32), "AB".repeat(32), "text-hash", "0f".repeat(32)])],
    ["attempt", () => pick([0, 1, 2])],
    ["jobId", () => pick([deriveJobId({ salt: "s", sha256: key, settings: {}, attempt: 0 }), "job_other", "bk123"])],
    ["createdAt", () => 1796564847000 + Math.floor(r() * 1000)],
    ["submittedAt", () => pick(["2026-12-06T14:00:00.000Z", "2026-12-06T14:00:00.123456+00:00"])],
    ["saved", () => pick([["txt"], ["txt", "srt"], [], ["json", "txt"]])],
    ["claimed", () => pick([["txt"], ["srt"]])],
    ["outputConflict", () => pick([true, false])],
    ["audioSeconds", () => pick([0.05, 3600])],
    ["processingSeconds", () => r() * 10],
    ["error", () => pick(["the API failed", "ENOENT"])],
    ["cause", () => pick(["job", "refused", "missing"])],
    ["futureField", () => pick([{ nested: [1, 2] }, null, "x"])],
  ];
  for (const [name, value] of fields) if (r() < 0.3) e[name] = value();
  return e as JournalEntry;
}

describe("RecordTable", () => {
  it("merges entries field by field exactly as a map of whole records does", () => {
    const r = random(7);
    const table = new RecordTable();
    const reference = new Map<string, InputRecord>();
    const keys = Array.from({ length: 300 }, (_, i) => `d${i % 9}/r${i}.wav`);
    for (let n = 0; n < 3000; n++) {
      const e = entry(r, keys[Math.floor(r() * keys.length)] as string);
      table.merge(e);
      reference.set(e.key, { ...(reference.get(e.key) ?? { state: "pending" }), ...e } as InputRecord);
    }
    expect(table.size).toBe(reference.size);
    for (const [key, rec] of reference) expect(table.get(key)).toEqual(rec);
    expect([...table.values()]).toEqual([...reference.values()]);
    expect(table.get("never.wav")).toBeUndefined();
  });

  it("forgets a deleted record, and starts it afresh when its key comes again", () => {
    const table = new RecordTable();
    table.merge({ key: "a.wav", state: "done", jobId: "job_a", saved: ["txt"], error: "old" });
    table.merge({ key: "b.wav", state: "queued" });
    expect(table.delete("a.wav")).toBe(true);
    expect(table.delete("a.wav")).toBe(false);
    expect([table.has("a.wav"), table.get("a.wav"), table.size]).toEqual([false, undefined, 1]);
    table.merge({ key: "a.wav", state: "uploading" });
    expect(table.get("a.wav")).toEqual({ key: "a.wav", state: "uploading" });
    expect([...table.values()].map((rec) => rec.key)).toEqual(["a.wav", "b.wav"]);
  });
});
