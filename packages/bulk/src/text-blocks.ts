type Typed = Uint8Array | Uint32Array | Float64Array;

/** A typed array of `length` elements (at least `a`'s) starting with `a`'s contents. */
export function resized<T extends Typed>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** Strings per block. */
const BLOCK = 256;

/**
 * Strings appended one after another and read back by number, kept as one long string per 256
 * of them plus an end offset each: 100,000 short strings are a few hundred heap objects (cheap
 * for the garbage collector to mark) instead of 100,000.
 */
export class TextBlocks {
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private ends = new Uint32Array(BLOCK);
  private count = 0;

  /** How many strings were appended. */
  get length(): number {
    return this.count;
  }

  /** Appends `text`; returns its number. */
  push(text: string): number {
    const i = this.count;
    if (i === this.ends.length) this.ends = resized(this.ends, 2 * i);
    this.pending.push(text);
    this.ends[i] = (i % BLOCK === 0 ? 0 : (this.ends[i - 1] as number)) + text.length;
    this.count++;
    if (this.pending.length === BLOCK) {
      this.blocks.push(this.pending.join(""));
      this.pending = [];
    }
    return i;
  }

  /** The string numbered `index`. */
  get(index: number): string {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no text at ${index} (${this.count} in all)`);
    const block = Math.floor(index / BLOCK);
    if (block === this.blocks.length) return this.pending[index - block * BLOCK] as string;
    const start = index % BLOCK === 0 ? 0 : (this.ends[index - 1] as number);
    return (this.blocks[block] as string).slice(start, this.ends[index]);
  }
}
