import type { Item, RunContext } from "./context.js";
import type { KeyIndex } from "./key-index.js";
import { SettledTable } from "./settled.js";
import type { InputRecord } from "./types.js";

/**
 * A shared worker's items, made only for the inputs it works on or its poller follows: an input
 * it was given is found by its key through a table of positions, and its item is made when a
 * claim or a poll brings its record. Once settled it moves into the run's settled table (as in a
 * one-process run); an item nobody uses any more is dropped ({@link SharedItems.sweep}). So a
 * worker of a large run keeps a few bytes per input, not an object.
 */
export class SharedItems {
  private readonly index: KeyIndex;

  constructor(private readonly ctx: RunContext) {
    this.index = ctx.indexInputs();
    ctx.settled = new SettledTable(ctx.inputs.length);
  }

  /** The keys of the inputs this worker was given, each once. */
  keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.ctx.inputs.length; i++) if (!this.ctx.duplicates.has(i)) keys.push(this.ctx.inputs.key(i));
    return keys;
  }

  /** True when this worker was given the input `key`. */
  has(key: string): boolean {
    return this.index.find(key) >= 0;
  }

  /** The item of `rec`'s input, made from `rec` when it has none; undefined for an input this worker was not given. */
  of(rec: InputRecord): Item | undefined {
    const live = this.ctx.items.get(rec.key);
    if (live) return live;
    const at = this.index.find(rec.key);
    if (at < 0) return undefined;
    const item: Item = { input: this.ctx.inputs.at(at), rec, lastSeen: 0, index: at };
    this.ctx.items.set(rec.key, item);
    return item;
  }

  /** Drops the items of unsettled inputs that `inUse` no longer needs (their record is in the store). */
  sweep(inUse: (key: string) => boolean): void {
    for (const key of this.ctx.items.keys()) if (!inUse(key)) this.ctx.items.delete(key);
  }
}
