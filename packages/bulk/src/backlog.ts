import { parked } from "./util.js";

/**
 * Counts the finished jobs whose outputs are not saved yet, so the creates wait for the
 * downloads: a create may start only while fewer than `limit` are waiting. Without it the creates
 * (one request each) run far ahead of the downloads (a files call, a storage GET per format and a
 * durable write each), and every job done but not saved holds its input's record and a task until
 * its turn: memory that grows with the run instead of with `limit`.
 */
export class Backlog {
  /** Finished jobs not saved yet. */
  size = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** A finished job joins the backlog. */
  enter(): void {
    this.size++;
  }

  /** A finished job left it (saved, failed, or given up). */
  leave(): void {
    this.size--;
    while (this.size < this.limit && this.waiters.length > 0) this.waiters.shift()?.();
  }

  /** Resolves once the backlog is under its limit (at once when it is, or when `signal` aborts). */
  room(signal: AbortSignal): Promise<void> {
    if (this.size < this.limit || signal.aborted) return Promise.resolve();
    return parked(this.waiters, signal);
  }
}
