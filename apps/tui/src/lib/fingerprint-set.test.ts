import { describe, expect, it } from "vitest";
import { FingerprintSet } from "./fingerprint-set.js";

describe("FingerprintSet", () => {
  it("holds what was added, and only that, through growth", () => {
    const set = new FingerprintSet();
    const keys = Array.from({ length: 50_000 }, (_, i) => `d${i % 97}/recording ${i}.wav`);
    for (const [i, key] of keys.entries()) {
      expect(set.add(key)).toBe(true);
      if (i % 997 === 0) expect(set.add(key)).toBe(false);
    }
    expect(set.size).toBe(keys.length);
    for (const key of keys) expect(set.has(key)).toBe(true);
    for (let i = 0; i < 50_000; i++) expect(set.has(`d${i % 97}/recording ${i}.mp3`)).toBe(false);
  });

  it("tells apart strings that differ in one character, in case or only in length", () => {
    const set = new FingerprintSet();
    for (const s of ["", "a", "A", "aa", "ab", "ba", "bk0123", "bk0124", "ü", "u\u0308"]) expect(set.add(s)).toBe(true);
    expect(set.size).toBe(10);
    expect(set.has("b")).toBe(false);
  });
});
