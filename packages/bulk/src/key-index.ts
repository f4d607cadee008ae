/** FNV-1a over the key's UTF-16 code units. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Positions found by their key without a string per position: an open-addressing table of
 * positions (4 to 8 bytes each) whose keys are made again by `keyOf` when compared (a run's
 * input keys, their output stems, a journal's keys). It grows as positions are added.
 */
export class KeyIndex {
  private slots: Uint32Array;
  private count = 0;

  constructor(
    private readonly keyOf: (position: number) => string,
    expected = 0,
  ) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Uint32Array(size);
  }

  /** The position added with `key`, or -1. */
  find(key: string): number {
    const entry = this.slots[this.slotOf(key)] as number;
    return entry - 1;
  }

  /** Adds `position` (no position with its key may be there yet). */
  add(position: number): void {
    this.slots[this.slotOf(this.keyOf(position))] = position + 1;
    if (++this.count * 2 > this.slots.length) this.grow();
  }

  /** The first position whose key is `position`'s: an earlier one, or `position` itself, which is then added. */
  firstOf(position: number): number {
    const earlier = this.find(this.keyOf(position));
    if (earlier >= 0) return earlier;
    this.add(position);
    return position;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private slotOf(key: string): number {
    const mask = this.slots.length - 1;
    for (let slot = hashKey(key) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0 || this.keyOf(entry - 1) === key) return slot;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (const entry of old) if (entry !== 0) this.slots[this.slotOf(this.keyOf(entry - 1))] = entry;
  }
}
