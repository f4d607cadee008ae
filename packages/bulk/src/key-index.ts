/** FNV-1a over the key's UTF-16 code units. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The first position of each key among `length` positions, found without a string per position:
 * an open-addressing table of positions (8 bytes each) whose keys are made again by `keyOf` when
 * compared (a run's input keys, their output stems). A key given twice is planned once, at its
 * first position.
 */
export class FirstPositions {
  private readonly slots: Uint32Array;

  constructor(
    length: number,
    private readonly keyOf: (index: number) => string,
  ) {
    let size = 16;
    while (size < length * 2) size *= 2;
    this.slots = new Uint32Array(size);
  }

  /** The first position at or before `index` whose key is `index`'s (visit positions in order). */
  of(index: number): number {
    const key = this.keyOf(index);
    const mask = this.slots.length - 1;
    for (let slot = hashKey(key) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) {
        this.slots[slot] = index + 1;
        return index;
      }
      if (this.keyOf(entry - 1) === key) return entry - 1;
    }
  }
}
