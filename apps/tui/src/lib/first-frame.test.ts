import { describe, expect, it } from "vitest";
import { eraseFirstFrame, firstFrame } from "./first-frame.js";

const ESC = String.fromCharCode(27);
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g"), "");

describe("first frame", () => {
  it("is the watch view's loading frame: the job id, then the spinner line", () => {
    for (const color of [true, false]) {
      expect(plain(firstFrame("abc123", color)).split("\n")).toEqual(["abc123", "◐ loading job…"]);
    }
    expect(firstFrame("abc123", false)).not.toContain(ESC);
  });

  it("is erased line for line", () => {
    const lines = firstFrame("abc123", true).split("\n").length;
    // Each line cleared, moving up between them.
    expect(eraseFirstFrame().split(`${ESC}[2K`).length - 1).toBe(lines);
    expect(eraseFirstFrame().split(`${ESC}[1A`).length - 1).toBe(lines - 1);
  });
});
