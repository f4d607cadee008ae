import { cellWidth } from "../lib/cell-width.js";
import { type FrameLine, type Span, span } from "./frame-line.js";
import type { KeyHint } from "./key-bar.js";

/**
 * The key bar as lines: `q quit  r refresh now …`, items two cells apart, wrapped onto the
 * next line when the next item does not fit in `columns - 1` (at least 20) — the layout of
 * {@link KeyBar}'s wrapping row.
 */
export function keyBarLines(keys: readonly KeyHint[], columns: number): FrameLine[] {
  const width = Math.max(20, columns - 1);
  const lines: Span[][] = [];
  let used = 0;
  for (const k of keys) {
    const item = [span(k.key, { bold: true, color: "cyan" }), span(` ${k.label}`, { dim: true })];
    const w = cellWidth(k.key) + 1 + cellWidth(k.label);
    const current = lines.at(-1);
    if (current && used + 2 + w <= width) {
      current.push(span("  "), ...item);
      used += 2 + w;
    } else {
      lines.push(item);
      used = w;
    }
  }
  return lines;
}
