import { parked } from "./util.js";

/**
 * A push queue read as an async iterator: `push` never blocks, `end` finishes the iteration.
 * A producer that can wait calls {@link Channel.room} first, so a slow reader (a pipe into a
 * slow program) slows the run instead of the queue growing without end.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private readonly roomWaiters: (() => void)[] = [];
  private readers = 0;

  /** @param highWater queued values at which {@link Channel.room} starts to wait. */
  constructor(readonly highWater = 1024) {}

  /** Values queued and not read yet. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Resolves once fewer than `highWater` values are queued, at once when nobody is reading (a
   * caller that only awaits the result must not stall the run), the channel ended or `signal` aborted.
   */
  room(signal: AbortSignal): Promise<void> {
    if (this.items.length < this.highWater || this.readers === 0 || this.ended || signal.aborted)
      return Promise.resolve();
    return parked(this.roomWaiters, signal);
  }

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
    this.wakeProducers();
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    this.readers++;
    try {
      yield* this.read();
    } finally {
      this.readers--;
      this.wakeProducers();
    }
  }

  private async *read(): AsyncGenerator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        if (this.items.length < this.highWater) this.wakeProducers();
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

  private wakeProducers(): void {
    if (this.roomWaiters.length > 0) for (const w of this.roomWaiters.splice(0)) w();
  }
}
