import { cellWidth, sliceCells } from "../lib/cell-width.js";

/** A run of text in one style: what an Ink `<Text>` with these props draws. */
export interface Span {
  text: string;
  /** A colour name as Ink takes it (`cyan`, `gray`…). */
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/** One line of a frame: styled spans, never wider than the window and never wrapping. */
export type FrameLine = readonly Span[];

const SGR: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
};

/** Builds a span (a shorthand for the frame builders). */
export function span(text: string, style: Omit<Span, "text"> = {}): Span {
  return { text, ...style };
}

/** The characters of a line, without styles. */
export function lineText(line: FrameLine): string {
  return line.map((s) => s.text).join("");
}

/**
 * `line` cut to `width` cells (the last kept cell becomes `…` when something was cut), with
 * trailing spaces dropped — as Ink trims its lines, so a plain write and Ink's frame match.
 */
export function fitLine(line: FrameLine, width: number): FrameLine {
  const out: Span[] = [];
  let used = 0;
  const total = cellWidth(lineText(line));
  const limit = total > width ? Math.max(0, width - 1) : width;
  for (const s of line) {
    if (used >= limit) break;
    const w = cellWidth(s.text);
    if (used + w <= limit) {
      out.push(s);
      used += w;
    } else {
      const part = sliceCells(s.text, limit - used);
      out.push({ ...s, text: part });
      used += cellWidth(part);
    }
  }
  if (total > width && width > 0) out.push({ ...(line.at(-1) ?? { text: "" }), text: "…" });
  while (out.length > 0) {
    const last = out[out.length - 1] as Span;
    const trimmed = last.text.replace(/\s+$/, "");
    if (trimmed !== "") {
      out[out.length - 1] = { ...last, text: trimmed };
      break;
    }
    out.pop();
  }
  return out;
}

/**
 * The line as terminal output: SGR codes as chalk writes them for Ink (colour 3x/90 … 39, bold
 * 1 … 22, dim 2 … 22) when `color` is on, the bare text when it is off (`NO_COLOR`).
 */
export function renderLine(line: FrameLine, color: boolean): string {
  let out = "";
  for (const s of line) {
    if (!color || (!s.color && !s.bold && !s.dim)) {
      out += s.text;
      continue;
    }
    const code = s.color !== undefined ? SGR[s.color] : undefined;
    const open = `${s.bold ? "\u001b[1m" : ""}${s.dim ? "\u001b[2m" : ""}${code !== undefined ? `\u001b[${code}m` : ""}`;
    const close = `${code !== undefined ? "\u001b[39m" : ""}${s.bold || s.dim ? "\u001b[22m" : ""}`;
    out += open + s.text + close;
  }
  return out;
}
