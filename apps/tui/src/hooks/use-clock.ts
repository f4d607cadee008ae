import { useEffect, useState } from "react";

type Tick = (now: number) => void;

/**
 * The one clock behind every animation and live timer: a single interval shared by all
 * subscribers, running only while someone listens, so an idle view costs one timer.
 */
export class SharedClock {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscribers = new Set<Tick>();

  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a subscriber; the interval starts with the first and stops with the last. */
  subscribe(tick: Tick): () => void {
    this.subscribers.add(tick);
    if (!this.timer) {
      this.timer = setInterval(() => {
        const now = this.now();
        for (const fn of this.subscribers) fn(now);
      }, this.intervalMs);
    }
    return () => {
      this.subscribers.delete(tick);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Whether the interval is running (for tests: no dangling timers). */
  get running(): boolean {
    return this.timer !== undefined;
  }
}

/** The app-wide clock: 1 s ticks drive the spinner and the seconds of every timer (kept slow: each tick is an Ink render). */
export const appClock = new SharedClock(1000);

/**
 * The current time from the shared clock, re-rendering on each tick while `active`; when
 * inactive (nothing is moving on screen), it does not tick at all.
 */
export function useClock(active: boolean, clock: SharedClock = appClock): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    return clock.subscribe(setNow);
  }, [active, clock]);
  return now;
}

export { spinnerFrame } from "../lib/spinner.js";
