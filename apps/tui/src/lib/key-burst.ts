import type { Key } from "ink";

/**
 * Splits a burst of plain keys that arrived in one read (`jjjjj` typed fast or held down,
 * a paste) into one call per key, so each moves a row as it would one at a time. Ink hands
 * such a burst over as one string; arrow and other escape keys already come one by one.
 */
export function eachKey(input: string, key: Key, handle: (input: string, key: Key) => void): void {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) {
    handle(input, key);
    return;
  }
  for (const ch of chars) handle(ch, key);
}
