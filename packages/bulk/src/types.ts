import type { Metadata, OutputConfig, OutputFormat, Tracking, TranscriptionConfig } from "@slng/types";

/** Where an input is in its life: the states a bulk run reports, in order. */
export const INPUT_STATES = ["pending", "uploading", "queued", "processing", "downloading", "done", "failed"] as const;

/** Where an input is in its life: the states a bulk run reports. */
export type InputState = (typeof INPUT_STATES)[number];

/** One recording to transcribe: a local file or an https URL, with its own per-row options. */
export interface BulkInput {
  /** Unique name of the input, its path relative to the output tree (e.g. `2024/jan/call.wav`). */
  key: string;
  /** Local file path (absolute or relative to the working directory). */
  path?: string;
  /** An https URL (URL input mode); the API fetches it. */
  url?: string;
  /** Per-row tracking (merged over the run's `tracking`). */
  tracking?: Tracking;
  /** Per-row language (overrides `config.language`). */
  language?: string;
  /** Per-row metadata (merged over the run's `metadata`). */
  metadata?: Metadata;
}

/** What the journal keeps about one input; every field but `key` is filled as the input advances. */
export interface InputRecord {
  key: string;
  state: InputState;
  /** Size and modification time seen when `sha256` was computed (a change means new work). */
  size?: number;
  mtimeMs?: number;
  /** Hex SHA-256 of the file's bytes, or of the URL text for URL inputs. */
  sha256?: string;
  /** How many times `--retry-failed` resubmitted it (part of the job id). */
  attempt?: number;
  jobId?: string;
  /** Local clock (ms) just before the create was sent. */
  createdAt?: number;
  /** The server's `submitted_at`, once seen. */
  submittedAt?: string;
  /** Formats saved under the output directory. */
  saved?: OutputFormat[];
  /** Formats whose output paths this run claimed (journaled before writing): it may replace them. */
  claimed?: OutputFormat[];
  /** Set when the input failed because an output path was not bulk's to write (a rerun checks again). */
  outputConflict?: boolean;
  audioSeconds?: number;
  processingSeconds?: number;
  error?: string;
  /** Why it failed (see {@link FailureCause}); set with every failure. */
  cause?: FailureCause;
}

/**
 * Why an input failed, which says what helps: `job` (the API failed its job, or the create or the
 * download gave up: `retryFailed` resubmits it), `refused` (the API refused the create, so no job
 * exists under its id: fix the file), `missing` (its file is gone), `unreadable` (its file could not
 * be read), `local` (see its message). An output path in the way is `outputConflict` instead.
 */
export type FailureCause = "job" | "refused" | "missing" | "unreadable" | "local";

/** A partial update of one input's record: the journal's unit (merged by `key`, last write wins). */
export type JournalEntry = Partial<InputRecord> & { key: string };

/**
 * Records by key as a store loads them: a `Map`, or the compact table the journal is replayed
 * into (`RecordTable`).
 */
export interface RecordMap {
  readonly size: number;
  get(key: string): InputRecord | undefined;
  has(key: string): boolean;
  /** Forgets a record (the plan drops each once decided). */
  delete(key: string): boolean;
  /** The records, in the order their keys first appeared. */
  values(): IterableIterator<InputRecord>;
}

/**
 * Who writes a store entry: the worker working on the input (`worker`, the default), or the run's
 * poller recording what the API says of a job (`poller`).
 */
export type WriteOrigin = "worker" | "poller";

/**
 * Where a bulk run keeps its state. The file journal (`openFileJournal`) is the default; a
 * shared store (a database for many workers) implements the same three methods.
 */
export interface BulkStore {
  /** Reads every entry written so far, merged per key, plus the run's salt (created once, kept). */
  load(): Promise<{ salt: string; records: RecordMap }>;
  /**
   * Appends an entry; resolves once it is durable (survives a crash or `kill -9`). `origin` says
   * who writes it: a shared store lets the worker's writes land only on inputs it leases, and the
   * poller's only on jobs in flight that nobody leases.
   */
  append(entry: JournalEntry, origin?: WriteOrigin): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
}

/** Per-run options shared by every input (those of `slng-batch submit`). */
export interface RunConfig {
  config?: TranscriptionConfig;
  modelCode?: string;
  tracking?: Tracking;
  metadata?: Metadata;
  outputConfig?: OutputConfig;
}

/** Counts of inputs by state. */
export type StateCounts = Record<InputState, number>;

/** A typed event of a bulk run (see {@link BulkEvent}). */
export type BulkEvent =
  | {
      type: "plan";
      total: number;
      /** Files found in directories but not taken (unsupported extension). */
      skippedFiles: string[];
      /** Inputs already saved by an earlier run. */
      alreadyDone: number;
      /** Inputs whose job is still in flight from an earlier run. */
      resumed: number;
    }
  | {
      type: "input";
      key: string;
      state: InputState;
      previous: InputState;
      jobId?: string;
      error?: string;
      audioSeconds?: number;
      /** Why: `resumed`, `adopted` (the server already had the job), `shared` (an identical recording's job), `retry`, `changed`. */
      reason?: string;
    }
  | { type: "upload_progress"; key: string; loaded: number; total: number }
  | { type: "rate_limited"; retryAfterMs: number; concurrency: number }
  | { type: "concurrency"; concurrency: number }
  | { type: "poll"; requests: number; inFlight: number }
  /** A shared run's progress as its store has it (every worker's work): after the plan, then about every second. */
  | { type: "run_progress"; total: number; counts: StateCounts }
  | { type: "warning"; message: string }
  | { type: "fatal"; kind: FatalKind; message: string }
  | { type: "summary"; summary: BulkSummary };

/**
 * Why a run stopped before its inputs were all settled: `auth` (the key was refused),
 * `unreachable` (no request succeeded for `maxOfflineMs`), `local` (the disk or journal failed).
 */
export type FatalKind = "auth" | "unreachable" | "local";

/** The end of a run. */
export interface BulkSummary {
  total: number;
  counts: StateCounts;
  /** Each failed input: its job id only when the API accepted the job; `cause` says what would help. */
  failed: { key: string; jobId?: string; error: string; cause: FailureCause | "output" }[];
  /** Seconds of audio of inputs saved. */
  audioSecondsDone: number;
  /** Path of `bulk-report.json` (absent after a dry run). */
  reportPath?: string;
  /** True when the run stopped early (abort / detach) with work still in flight. */
  detached: boolean;
  /** Set when the run ended on an error that is not any one input's fault. */
  fatal?: { kind: FatalKind; message: string };
  /** API requests made (creates, polls, downloads, retries). */
  requests: number;
  elapsedMs: number;
}
