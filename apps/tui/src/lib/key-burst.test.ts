import type { Key } from "ink";
import { describe, expect, it } from "vitest";
import { eachKey } from "./key-burst.js";

const plain = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
} as Key;

function split(input: string, key: Key = plain): { input: string; return: boolean; backspace: boolean }[] {
  const calls: { input: string; return: boolean; backspace: boolean }[] = [];
  eachKey(input, key, (i, k) => calls.push({ input: i, return: k.return, backspace: k.backspace }));
  return calls;
}

describe("eachKey", () => {
  it("gives each key of a burst on its own: jjj is three moves", () => {
    expect(split("jjj").map((c) => c.input)).toEqual(["j", "j", "j"]);
  });

  it("j and Enter in one read: j, then Enter as key.return (as Ink gives a lone Enter)", () => {
    expect(split("j\r")).toEqual([
      { input: "j", return: false, backspace: false },
      { input: "", return: true, backspace: false },
    ]);
  });

  it("typing then Backspace in one read keeps the Backspace", () => {
    expect(split("ab\x7f").at(-1)).toEqual({ input: "", return: false, backspace: true });
  });

  it("passes a single key and a Ctrl key through unchanged", () => {
    expect(split("j")).toEqual([{ input: "j", return: false, backspace: false }]);
    const ctrl = { ...plain, ctrl: true };
    const calls: string[] = [];
    eachKey("c", ctrl, (i, k) => calls.push(`${i}:${k.ctrl}`));
    expect(calls).toEqual(["c:true"]);
  });
});
