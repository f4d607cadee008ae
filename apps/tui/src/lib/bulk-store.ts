import type { BulkEvent } from "@slng/bulk";
import { applyBulkEvent, type BulkViewState, initialBulkState } from "./bulk-model.js";

/** Holds the bulk view's state and tells subscribers at most every `intervalMs` (and at once for the summary). */
export class BulkViewStore {
  readonly state: BulkViewState;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    outDir: string,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 100,
  ) {
    this.state = initialBulkState(outDir, now());
  }

  /** The change counter (what `useSyncExternalStore` compares). */
  getVersion = (): number => this.version;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Applies an engine event. */
  apply(e: BulkEvent): void {
    applyBulkEvent(this.state, e, this.now());
    if (e.type === "summary" || e.type === "fatal") this.notify();
    else this.timer ??= setTimeout(() => this.notify(), this.intervalMs);
  }

  /** Marks the run as stopping (q or Ctrl+C) and redraws. */
  stopping(kind: "detach" | "interrupt"): void {
    this.state.stopping = kind;
    this.notify();
  }

  /** Redraws now. */
  notify(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Cancels a pending redraw. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
