import type { SlngClientOptions } from "@slng/client";
import type { OutputFormat } from "@slng/types";
import type { Inputs } from "./input-list.js";
import type { SharedStore } from "./shared-store.js";
import type { BulkInput, BulkStore, RunConfig } from "./types.js";

/** Options of {@link runBulk}. */
export interface BulkOptions extends RunConfig {
  /** The recordings: an array, or the packed {@link InputList} that `collectInputs` returns (for big runs). */
  inputs: readonly BulkInput[] | Inputs;
  /** Output folder: transcripts mirror the inputs' tree here; the journal and report live here too. */
  outDir: string;
  /** Formats to save for every input (default `["txt"]`). */
  formats?: readonly OutputFormat[];
  /** Uploads/creates at a time (default 4); jobs in flight are not limited by it. */
  concurrency?: number;
  /** Resubmit inputs whose job ended FAILED (with a new job id). */
  retryFailed?: boolean;
  /**
   * Replace what is at an output path although this run did not write it (default false: such an
   * input is skipped and reported as failed, before anything is sent for it).
   */
  overwrite?: boolean;
  /** Say what would happen (`would` events), send nothing, write nothing. */
  dryRun?: boolean;
  /** Files found in folders but not taken, reported in the `plan` event. */
  skippedFiles?: readonly string[];
  /** The client's options (key, base URL, fetch, retries…). `onRetry` is chained, not replaced. */
  client?: SlngClientOptions;
  /**
   * Where the state lives: default the JSONL journal in `outDir` (one process); a
   * `postgres://` URL (or a {@link SharedStore}) shares the run named `run` between any number
   * of workers on any machines.
   */
  store?: BulkStore | SharedStore | string;
  /** The shared run's name (with a `postgres://` store). */
  run?: string;
  /** Lease length of a shared run (default 30 000 ms; renewed every third while working). */
  leaseMs?: number;
  /** Polling interval: starts at `min`, grows ×1.5 to `max` while nothing changes (default 1 000–10 000 ms). */
  pollIntervalMs?: { min: number; max: number };
  /** How far before a job's local creation time the list window starts, for clock skew (default 120 000 ms). */
  clockSkewMs?: number;
  /** A job in flight not seen in any list for this long is fetched once with a GET (default 300 000 ms). */
  stragglerMs?: number;
  /** Give up with a fatal `unreachable` after this long without one successful request (default 120 000 ms). */
  maxOfflineMs?: number;
  /** Attempts of one input's create or download on retryable errors, beyond the client's own retries (default 6). */
  maxAttempts?: number;
  /** Stops the run: nothing new starts, uploads in progress are cancelled, jobs keep running (a rerun resumes). */
  signal?: AbortSignal;
}

/** The resolved settings of a run. */
export interface Settings {
  formats: OutputFormat[];
  concurrency: number;
  pollMin: number;
  pollMax: number;
  clockSkewMs: number;
  stragglerMs: number;
  maxOfflineMs: number;
  maxAttempts: number;
}

/** Fills in defaults and checks the numbers. */
export function resolveSettings(o: BulkOptions): Settings {
  const concurrency = o.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new RangeError(`concurrency must be a whole number from 1 to 64, got ${concurrency}`);
  const formats: OutputFormat[] = [...new Set<OutputFormat>(o.formats ?? ["txt"])];
  for (const f of formats)
    if (!["txt", "srt", "json"].includes(f)) throw new RangeError(`format must be txt, srt or json, got ${f}`);
  return {
    formats,
    concurrency,
    pollMin: o.pollIntervalMs?.min ?? 1000,
    pollMax: o.pollIntervalMs?.max ?? 10_000,
    clockSkewMs: o.clockSkewMs ?? 120_000,
    stragglerMs: o.stragglerMs ?? 300_000,
    maxOfflineMs: o.maxOfflineMs ?? 120_000,
    maxAttempts: o.maxAttempts ?? 6,
  };
}
