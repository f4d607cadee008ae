import { describe, expect, it } from "vitest";
import { span } from "../components/frame-line.js";
import type { WatchFrame } from "../components/watch-frame.js";
import { screenLines } from "../test-utils/screen.js";
import { frameLines, PlainFrames } from "./first-frame.js";
import { eraseRows, patchLines } from "./tick-patch.js";

const frame = (live: string[], blocks: string[][] = []): WatchFrame => ({
  static: blocks.map((lines, i) => ({ key: `b${i}`, lines: lines.map((l) => [span(l, { dim: true })]) })),
  live: live.map((l) => [span(l, { color: "cyan" })]),
});

function drawn(...frames: WatchFrame[]): string {
  let out = "$ slng-batch watch job123\n";
  const plain = new PlainFrames({ write: (s) => (out += s) }, true);
  for (const f of frames) plain.draw(f);
  return out;
}

describe("plain frames", () => {
  it("each draw replaces the last, whatever their heights, below what was on screen", async () => {
    const a = frame(["job123", "◐ loading job…"]);
    const b = frame(["◓ QUEUED    0:01", "· DONE", "Elapsed 0:01"], [["job123 Weekly sync"]]);
    const c = frame(["job123", "x"]);
    expect(await screenLines(drawn(a, b), 40, 10)).toEqual([
      "$ slng-batch watch job123",
      "job123 Weekly sync",
      ...b.live.map((l) => l[0]?.text),
    ]);
    expect(await screenLines(drawn(a, b, c), 40, 10)).toEqual(["$ slng-batch watch job123", "job123", "x"]);
  });

  it("without colour, no escape sequence but the cursor's", () => {
    expect(frameLines(frame(["a", "b"], [["h"]]), false)).toEqual(["h", "a", "b"]);
  });

  it("hand-over erases the frame and leaves the cursor where it began", async () => {
    let out = "$ prompt\n";
    const plain = new PlainFrames({ write: (s) => (out += s) }, true);
    plain.draw(frame(["one", "two", "three"]));
    plain.handOver();
    out += "ink";
    expect(await screenLines(out, 40, 10)).toEqual(["$ prompt", "ink"]);
  });

  it("eraseRows clears exactly the rows above and the cursor's line", async () => {
    expect(await screenLines(`keep\na\nb\nc\n${eraseRows(3)}X`, 20, 10)).toEqual(["keep", "X"]);
  });
});

describe("patchLines", () => {
  const a = ["job123", "◐ QUEUED  0:05", "· DONE", "Elapsed 0:05 · ETA ~1:00", "q quit  ? help"];
  const b = ["job123", "◓ QUEUED  0:06", "· DONE", "Elapsed 0:06 · ETA ~0:59", "q quit  ? help"];

  it("rewrites only the lines that changed and puts the cursor back under the frame", async () => {
    const patch = patchLines(a, b) as string;
    expect(patch).not.toContain("job123");
    expect(patch).not.toContain("help");
    const screen = await screenLines(`$ watch\n${a.join("\n")}\n${patch}after`, 40, 10);
    expect(screen).toEqual(["$ watch", ...b, "after"]);
  });

  it("clears what is left of a line that got shorter, also when it filled the window", async () => {
    const wide = ["x".repeat(20), "short"];
    const screen = await screenLines(`${wide.join("\n")}\n${patchLines(wide, ["y", "short"])}`, 20, 5);
    expect(screen).toEqual(["y", "short"]);
  });

  it("is empty when nothing changed, and impossible when the frame's height changed", () => {
    expect(patchLines(a, [...a])).toBe("");
    expect(patchLines(a, [...a, "one more"])).toBeUndefined();
  });
});
