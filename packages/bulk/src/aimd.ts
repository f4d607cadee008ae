/**
 * A concurrency limit that adapts like TCP's AIMD: each 429 halves it (at most once per
 * back-off window) and pauses new work for the server's `Retry-After`; every `limit` successes
 * add one back, up to `max`.
 */
export class AimdLimiter {
  /** The current limit (1..max). */
  limit: number;
  /** Slots in use. */
  active = 0;
  private successes = 0;
  private pausedUntil = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiters: (() => void)[] = [];

  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
    private readonly onChange?: (limit: number) => void,
  ) {
    this.limit = max;
  }

  /** Resolves when a slot is free and no back-off is running; release it with {@link release}. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Gives a slot back. */
  release(): void {
    this.active--;
    this.pump();
  }

  /** A request succeeded: additive increase. */
  success(): void {
    if (this.limit >= this.max) return;
    if (++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.onChange?.(this.limit);
      this.pump();
    }
  }

  /** The server answered 429: multiplicative decrease and a pause of `retryAfterMs`. */
  rateLimited(retryAfterMs: number): void {
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    if (now - this.lastCut >= Math.max(retryAfterMs, 1000)) {
      this.lastCut = now;
      this.successes = 0;
      const next = Math.max(1, Math.floor(this.limit / 2));
      if (next !== this.limit) {
        this.limit = next;
        this.onChange?.(next);
      }
    }
    this.pump();
  }

  /** Drops every waiter (they never resolve) and stops the timer. */
  stop(): void {
    this.waiters.length = 0;
    clearTimeout(this.timer);
  }

  private pump(): void {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), wait);
      return;
    }
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()?.();
    }
  }
}
