import type { BulkStore, InputRecord, InputState } from "./types.js";

/** What a worker tells {@link SharedStore.join}. */
export interface JoinOptions {
  /** The run's settings (formats, config, model, output config): every worker of a run must bring the same. */
  settings: unknown;
  /** The keys of this worker's inputs (rows are created for the ones the store does not have yet). */
  keys: readonly string[];
  /** Told when the store becomes unreachable (the worker pauses) and when it is back. */
  notice: (message: string) => void;
  /** Stops waiting for an unreachable store. */
  signal: AbortSignal;
  /** `--retry-failed`: put the run's failed inputs back to pending (a new attempt), once, as this worker joins. */
  retryFailed?: boolean;
}

/** Progress of a shared run, straight from the store. */
export interface RunProgress {
  total: number;
  counts: Record<InputState, number>;
  /** Inputs neither done nor failed. */
  unfinished: number;
}

/**
 * A store many workers (processes, machines) share: one named run whose inputs are claimed in
 * small batches under leases, followed by one poller at a time, and reported from the store.
 * `append` writes are guarded: a worker changes only inputs it leases, the poller only inputs
 * whose job is in flight and leased by no one.
 */
export interface SharedStore extends BulkStore {
  readonly kind: "shared";
  /** The run's name. */
  readonly run: string;
  /** Lease length (ms): renew more often than this. */
  readonly leaseMs: number;
  /**
   * Creates (once) or joins the run; returns its salt and the inputs put back for a new attempt
   * (`retryFailed`). Throws {@link BulkStoreError} on a wrong URL, password or settings.
   */
  join(o: JoinOptions): Promise<{ salt: string; retried: string[] }>;
  /**
   * Leases inputs nobody holds that need work: up to `downloads` whose job is DONE (state
   * `downloading`) and up to `creates` to create (`pending`) or resume (`uploading`).
   */
  claim(room: { downloads: number; creates: number }): Promise<InputRecord[]>;
  /** Extends the leases of `keys` this worker holds. */
  renew(keys: readonly string[]): Promise<void>;
  /** Gives up every lease this worker holds (others take the inputs at once). */
  release(): Promise<void>;
  /** Inputs whose job is in flight (queued or processing). */
  outstanding(): Promise<InputRecord[]>;
  /** True while this worker is the run's one poller (takes the role when it is free). */
  holdPoller(): Promise<boolean>;
  /** Every input of the run, in key order. */
  records(): Promise<InputRecord[]>;
  /** Every input of the run, in key order, read a page at a time (memory flat for any run). */
  eachRecord(): AsyncIterable<InputRecord>;
  /** Counts by state. */
  progress(): Promise<RunProgress>;
}

/** True when `store` is a {@link SharedStore}. */
export const isShared = (store: unknown): store is SharedStore =>
  !!store && typeof store === "object" && (store as { kind?: unknown }).kind === "shared";

/** A store that cannot be used as given (wrong URL, password, database, or a run with other settings): fix and rerun. */
export class BulkStoreError extends Error {
  override readonly name = "BulkStoreError";
}

/**
 * A claim of output paths written for an input this worker no longer leases (its lease lapsed
 * and another worker took the input over): the input is the other worker's now, so this one
 * writes nothing for it.
 */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
  readonly retryable = false;
}
