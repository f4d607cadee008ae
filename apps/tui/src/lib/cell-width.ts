/**
 * Terminal cell widths without `string-width` (whose emoji tables cost 45–80 ms to compile on
 * Node 20): what the plain-text frames need to keep every line inside the window. Wide East
 * Asian characters and emoji take two cells, combining marks and zero-width joiners none,
 * everything else one — the same answer `string-width` gives for the text this UI shows.
 */

const ZERO_WIDTH: readonly [number, number][] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a],
  [0x0e47, 0x0e4e],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
];

function isZeroWidth(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.some(([from, to]) => code >= from && code <= to);
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Cells one character (a code point) takes. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (isZeroWidth(code)) return 0;
  return isWide(code) ? 2 : 1;
}

/** Cells `text` (no escape sequences) takes on one line. */
export function cellWidth(text: string): number {
  if (/^[\u0020-\u007e]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The longest start of `text` that fits in `width` cells. */
export function sliceCells(text: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width) break;
    used += w;
    end += char.length;
  }
  return text.slice(0, end);
}
