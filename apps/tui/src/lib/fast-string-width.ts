/**
 * A fast path in front of `string-width` (which Ink calls for every line it lays out).
 *
 * `string-width` sends any string that is not plain printable ASCII through `Intl.Segmenter` and
 * a `\p{RGI_Emoji}` regular expression; compiling that expression costs 45–80 ms on Node 20 the
 * first time, and the watch view's first frame always has a spinner (◐) or a middle dot in it.
 * Strings made only of printable ASCII and the one-column symbols this UI draws are measured
 * here (width = length); everything else goes to the real `string-width` unchanged. The build
 * (tsup.config.ts) routes every `string-width` import in the bundle through
 * {@link withFastPath}; a test checks these symbols against the real packages.
 */

/** Symbols the TUI draws that are one column wide, one grapheme each, and never emoji (not ⚠: one string-width version counts it as two). */
export const NARROW_SYMBOLS = "·…—–✓✗→←↑↓›▸░█◐◓◑◒×│└─≤≥⌫";

const NARROW_LINE = new RegExp(`^[\\u0020-\\u007E${NARROW_SYMBOLS}]*$`);
// SGR and other CSI sequences, and OSC 8 hyperlinks: what Ink's own styling writes.
const ANSI = new RegExp(
  `${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]|${String.fromCharCode(27)}\\]8;[^${String.fromCharCode(7, 27)}]*(?:${String.fromCharCode(7)}|${String.fromCharCode(27)}\\\\)`,
  "g",
);
const ESC = String.fromCharCode(27);
const CSI = String.fromCharCode(0x9b);

/** Options `string-width` takes. */
export interface StringWidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

type StringWidth = (input: string, options?: StringWidthOptions) => number;

/**
 * The width of `input` when it is printable ASCII and {@link NARROW_SYMBOLS} (after removing
 * ANSI escape sequences), or `undefined` when the real `string-width` must measure it.
 */
export function fastWidth(input: string, options?: StringWidthOptions): number | undefined {
  if (typeof input !== "string") return undefined;
  if (options && (options.countAnsiEscapeCodes === true || options.ambiguousIsNarrow === false)) return undefined;
  let text = input;
  if (text.includes(ESC) || text.includes(CSI)) {
    text = text.replace(ANSI, "");
    if (text.includes(ESC) || text.includes(CSI)) return undefined;
  }
  return NARROW_LINE.test(text) ? text.length : undefined;
}

/** Wraps a `string-width` function with {@link fastWidth}'s fast path. */
export function withFastPath(real: StringWidth): StringWidth {
  return (input, options) => fastWidth(input, options) ?? real(input, options);
}
