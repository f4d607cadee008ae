/** A push queue read as an async iterator: `push` never blocks, `end` finishes the iteration. */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  /** Queues a value (dropped after `end`). */
  push(value: T): void {
    if (this.ended) return;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ value, done: false });
    } else this.items.push(value);
  }

  /** Ends the iteration once the queued values are read. */
  end(): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) return;
      const r = await new Promise<IteratorResult<T>>((resolve) => {
        this.waiting = resolve;
      });
      if (r.done) return;
      yield r.value;
    }
  }
}
