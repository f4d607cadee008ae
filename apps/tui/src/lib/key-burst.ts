import type { Key } from "ink";

/** The key flags Ink sets for one plain key: all off, except what `ch` is (Enter, Tab, Backspace). */
function keyOf(ch: string, burst: Key): Key {
  const off: Key = {
    ...burst,
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
    shift: /[A-Z]/.test(ch),
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
  };
  if (ch === "\r" || ch === "\n") return { ...off, return: true };
  if (ch === "\t") return { ...off, tab: true };
  if (ch === "\x7f" || ch === "\b") return { ...off, backspace: true };
  return off;
}

/** What Ink passes as the input of one plain key: nothing for Enter, Tab and Backspace, else the character. */
function inputOf(ch: string): string {
  return ch === "\r" || ch === "\n" || ch === "\t" || ch === "\x7f" || ch === "\b" ? "" : ch;
}

/**
 * Splits a burst of plain keys that arrived in one read (`jjjjj` typed fast or held down,
 * a paste, `j` then Enter) into one call per key, each with the flags Ink would give it alone
 * (Enter is `key.return`), so each acts as it would one at a time. Ink hands such a burst over
 * as one string; arrow and other escape keys already come one by one.
 */
export function eachKey(input: string, key: Key, handle: (input: string, key: Key) => void): void {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) {
    handle(input, key);
    return;
  }
  for (const ch of chars) handle(inputOf(ch), keyOf(ch, key));
}
