/**
 * Maps the API's timestamps (`submitted_at`, `started_at`, `updated_at`, …) to this machine's
 * clock, so a waiter can tell how long ago a stage began even when the two clocks disagree.
 *
 * Each answer bounds the offset (server time − local time): its `Date` header says the server's
 * second when it answered, somewhere between sending and receiving; and any timestamp in the body
 * had already happened on the server by then. The estimate is the middle of what every answer
 * so far allows (0 when nothing is known).
 */
export class ServerClock {
  #low = Number.NEGATIVE_INFINITY;
  #high = Number.POSITIVE_INFINITY;

  /**
   * Takes one answer into account: `sentAt`/`receivedAt` local ms around the request, the
   * response's `Date` header (or null) and the server timestamps (ms) its body carried.
   */
  observe(sentAt: number, receivedAt: number, date: string | null, timestamps: readonly number[]): void {
    let low = this.#low;
    let high = this.#high;
    const served = date ? Date.parse(date) : Number.NaN;
    if (!Number.isNaN(served)) {
      low = Math.max(low, served - receivedAt);
      high = Math.min(high, served + 1000 - sentAt);
    }
    for (const t of timestamps) if (Number.isFinite(t)) low = Math.max(low, t - receivedAt);
    if (low > high) {
      // The bounds disagree (a clock stepped, or a proxy's Date): start again from this answer.
      low = Number.isNaN(served) ? low : served - receivedAt;
      high = Number.isNaN(served) ? Number.POSITIVE_INFINITY : served + 1000 - sentAt;
    }
    this.#low = low;
    this.#high = high;
  }

  /** Server time − local time, in ms. */
  get offsetMs(): number {
    const low = this.#low;
    const high = this.#high;
    if (Number.isFinite(low) && Number.isFinite(high)) return (low + high) / 2;
    if (Number.isFinite(high)) return Math.min(0, high);
    if (Number.isFinite(low)) return Math.max(0, low);
    return 0;
  }

  /** A server timestamp (ISO 8601) on the local clock, in ms; NaN when absent or unreadable. */
  toLocal(iso: string | null | undefined): number {
    const t = Date.parse(iso ?? "");
    return Number.isNaN(t) ? Number.NaN : t - this.offsetMs;
  }
}
