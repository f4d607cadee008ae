import { describe, expect, it } from "vitest";
import { asInputs, InputList } from "./input-list.js";
import { KeyIndex } from "./key-index.js";
import type { BulkInput } from "./types.js";

const sample: BulkInput[] = [
  { key: "a/1.wav", path: "/data/in/a/1.wav" },
  { key: "inner.wav", path: "/data/in/real/a.wav" },
  { key: "x.wav", url: "https://example.com/media/x.wav?sig=1" },
  { key: "bare.wav" },
  { key: "β/ü.wav", path: "C:\\rec\\β\\ü.wav", language: "de", tracking: { title: "t" }, metadata: { n: "1" } },
  { key: "b.wav", path: "/data/in/ab.wav" },
  { key: "c.wav", path: "c.wav" },
];

describe("InputList", () => {
  it("gives back every input as it was pushed, paths, URLs and per-row options alike", () => {
    const list = InputList.of(sample);
    expect(list).toHaveLength(sample.length);
    expect([...list]).toEqual(sample);
    sample.forEach((input, i) => {
      expect(list.at(i)).toEqual(input);
      expect(list.key(i)).toBe(input.key);
    });
  });

  it("keeps rows across many blocks, including the block still being filled", () => {
    const inputs = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 0
        ? { key: `k${i}.wav`, url: `https://h/${i}.wav` }
        : { key: `d${i % 7}/k${i}.wav`, path: `/r/d${i % 7}/k${i}.wav` },
    );
    const list = new InputList();
    inputs.forEach((input, i) => {
      list.push(input);
      expect(list.at(i)).toEqual(input);
    });
    for (const i of [0, 255, 256, 511, 512, 999]) expect(list.at(i)).toEqual(inputs[i]);
    expect([...list]).toEqual(inputs);
  });

  it("refuses a position it does not have", () => {
    const list = InputList.of(sample);
    expect(() => list.at(sample.length)).toThrow(RangeError);
    expect(() => list.key(-1)).toThrow(RangeError);
  });

  it("reads an array in place through asInputs", () => {
    const inputs = asInputs(sample);
    expect(inputs.at(2)).toBe(sample[2]);
    expect(inputs.key(4)).toBe("β/ü.wav");
    expect([...inputs]).toEqual(sample);
    const list = InputList.of(sample);
    expect(asInputs(list)).toBe(list);
  });
});

describe("KeyIndex", () => {
  it("finds the first position of each key, also when keys collide in the table and as it grows", () => {
    const keys = Array.from({ length: 600 }, (_, i) => `f${i % 250}.wav`);
    const first = new KeyIndex((i) => keys[i] as string);
    expect(keys.map((_, i) => first.firstOf(i))).toEqual(keys.map((key) => keys.indexOf(key)));
  });
});
