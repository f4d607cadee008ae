import type { OutputFormat } from "@slng/types";

/** The number a table stores for "no list". */
export const NO_LIST = 255;

/**
 * The few distinct lists of output formats a run sees (saved, claimed), each kept once and
 * named by a byte, so a table of 100,000 inputs stores one byte per list instead of an array.
 */
export class FormatLists {
  private readonly lists: OutputFormat[][] = [];

  /** The byte for `list` (added the first time it is seen). */
  index(list: readonly OutputFormat[]): number {
    const text = list.join(",");
    const found = this.lists.findIndex((l) => l.join(",") === text);
    if (found >= 0) return found;
    if (this.lists.length >= NO_LIST) throw new Error("too many distinct lists of output formats");
    return this.lists.push([...list]) - 1;
  }

  /** A copy of the list named `index`. */
  get(index: number): OutputFormat[] {
    return [...(this.lists[index] as OutputFormat[])];
  }
}
