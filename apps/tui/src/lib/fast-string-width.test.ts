import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { fastWidth, NARROW_SYMBOLS, withFastPath } from "./fast-string-width.js";

type StringWidth = (s: string, o?: object) => number;

// The string-width versions the bundle routes through the fast path: Ink's own and wrap-ansi's.
async function realStringWidths(): Promise<StringWidth[]> {
  const fromInk = createRequire(fileURLToPath(import.meta.resolve("ink")));
  const fromWrapAnsi = createRequire(fromInk.resolve("wrap-ansi"));
  const paths = [fromInk.resolve("string-width"), fromWrapAnsi.resolve("string-width")];
  return Promise.all(paths.map(async (p) => (await import(pathToFileURL(p).href)).default as StringWidth));
}

const ESC = String.fromCharCode(27);

describe("fast string width", () => {
  it("agrees with every bundled string-width on ASCII, the UI's symbols and styled text", async () => {
    const samples = [
      "",
      "plain ascii ~!",
      ...[...NARROW_SYMBOLS],
      `◐ QUEUED · 0:12 — ETA ~1:02 left ✓ ✗ │ └ ≤ ≥ …`,
      `${ESC}[1m${ESC}[36mjob${ESC}[39m${ESC}[22m · ${ESC}[2m◐ loading${ESC}[22m`,
      `${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\ ·`,
    ];
    const reals = await realStringWidths();
    expect(reals).toHaveLength(2);
    for (const real of reals) {
      for (const s of samples) expect(fastWidth(s), JSON.stringify(s)).toBe(real(s));
    }
  });

  it("leaves wide, combining and emoji text to string-width", async () => {
    for (const s of ["漢字", "e\u0301", "😀", "⚠\uFE0F", "ok ✔", "⚠", `${ESC}]0;title·`])
      expect(fastWidth(s)).toBeUndefined();
    expect(fastWidth("·", { ambiguousIsNarrow: false })).toBeUndefined();
    const [real] = await realStringWidths();
    const wrapped = withFastPath(real as StringWidth);
    expect(wrapped("漢字 ·")).toBe(6);
    expect(wrapped("😀")).toBe(2);
  });
});
