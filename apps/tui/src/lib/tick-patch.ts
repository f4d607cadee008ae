/** Begin and end of a synchronized update (DEC mode 2026): the terminal shows the change at once, as Ink's frames do. */
export const SYNC_START = "\u001b[?2026h";
export const SYNC_END = "\u001b[?2026l";

/**
 * The bytes that turn `drawn` into `next` on screen by rewriting only the lines that differ,
 * for a frame whose lines are on screen right above the cursor (where Ink leaves it, at the
 * start of the line under its frame) and that each fit on one row. Returns `""` when nothing
 * changed and `undefined` when a patch cannot do it (the frame grew or shrank): then the whole
 * frame must be drawn again.
 */
export function patchLines(drawn: readonly string[], next: readonly string[]): string | undefined {
  if (drawn.length !== next.length) return undefined;
  let out = "";
  let row = drawn.length;
  for (let i = 0; i < next.length; i++) {
    if (next[i] === drawn[i]) continue;
    if (row > i) out += `\u001b[${row - i}A`;
    else if (row < i) out += `\u001b[${i - row}B`;
    out += `\r\u001b[2K${next[i]}`;
    row = i;
  }
  if (out === "") return "";
  return `${SYNC_START}${out}\u001b[${drawn.length - row}B\r${SYNC_END}`;
}

/** Erases the `rows` lines above the cursor and the cursor's own line, leaving the cursor at the start of the top one. */
export function eraseRows(rows: number): string {
  return `\r\u001b[2K${"\u001b[1A\u001b[2K".repeat(rows)}`;
}
