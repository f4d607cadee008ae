/**
 * Maps the API's timestamps (`submitted_at`, `started_at`, `updated_at`, …) to this machine's
 * clock, so a waiter can tell how long ago a stage began even when the two clocks disagree.
 *
 * Each answer bounds the offset (server time − local time): its `Date` header says the server's
 * second when it answered, somewhere between sending and receiving; and any timestamp in the body
 * had already happened on the server by then. The estimate is the middle of what every answer
 * so far allows (0 when nothing is known).
 */
export interface ServerClock {
  /**
   * Takes one answer into account: `sentAt`/`receivedAt` local ms around the request, the
   * response's `Date` header (or null) and the server timestamps (ms) its body carried.
   */
  observe(sentAt: number, receivedAt: number, date: string | null, timestamps: readonly number[]): void;
  /** Server time − local time, in ms. */
  readonly offsetMs: number;
  /** A server timestamp (ISO 8601) on the local clock, in ms; NaN when absent or unreadable. */
  toLocal(iso: string | null | undefined): number;
}

/** A {@link ServerClock} that knows nothing yet (offset 0). */
export function serverClock(): ServerClock {
  // The offset lies within [low, high].
  let low = -Infinity;
  let high = Infinity;
  const offset = () =>
    // Both bounds known: the middle; one: as close to 0 as it allows; none: 0.
    Number.isFinite(low) && Number.isFinite(high) ? (low + high) / 2 : Math.min(high, Math.max(low, 0));
  return {
    observe(sentAt, receivedAt, date, timestamps) {
      const served = Date.parse(date ?? "");
      const dated = !Number.isNaN(served);
      // The server's second when it answered, between sending and receiving.
      const from = dated ? served - receivedAt : -Infinity;
      const to = dated ? served + 1000 - sentAt : Infinity;
      let lo = Math.max(low, from, ...timestamps.filter(Number.isFinite).map((t) => t - receivedAt));
      let hi = Math.min(high, to);
      if (lo > hi) {
        // The bounds disagree (a clock stepped, or a proxy's Date): start again from this answer.
        if (dated) lo = from;
        hi = to;
      }
      low = lo;
      high = hi;
    },
    get offsetMs() {
      return offset();
    },
    toLocal(iso) {
      return Date.parse(iso ?? "") - offset();
    },
  };
}
