import { setMaxListeners } from "node:events";
import { createSlngClient, type SlngClient } from "@slng/client";
import { AimdLimiter } from "./aimd.js";
import { Backlog } from "./backlog.js";
import { Channel } from "./channel.js";
import { asInputs, type Inputs } from "./input-list.js";
import { KeyIndex } from "./key-index.js";
import { type BulkOptions, resolveSettings, type Settings } from "./options.js";
import { noJob } from "./report.js";
import { recordsInOrder, type SettledTable } from "./settled.js";
import { SharedJobs } from "./shared-jobs.js";
import type {
  BulkEvent,
  BulkInput,
  BulkStore,
  BulkSummary,
  FatalKind,
  InputRecord,
  InputState,
  WriteOrigin,
} from "./types.js";
import { messageOf } from "./util.js";

/** One input as a run follows it: the input, its current record, and when the poll last saw its job. */
export interface Item {
  input: BulkInput;
  rec: InputRecord;
  lastSeen: number;
  /** `rec.createdAt` is when the create that made the job was sent (not an adopted job's re-send). */
  timed?: boolean;
  /** Picked up from an earlier run's journal (its downloads may have left temporary files). */
  resumed?: boolean;
  /** Its position among the inputs: once settled, it is kept in the run's {@link SettledTable}. */
  index?: number;
}

const isSettled = (state: InputState) => state === "done" || state === "failed";

/**
 * What the parts of a run (uploader, poller, downloader, report) hand each other: a job was
 * created or adopted (follow it), or a job is DONE (save its outputs).
 */
export type WorkEvent =
  | { type: "created"; item: Item }
  /** `reason`: `adopted` (the server already had the job) or `shared` (an identical recording's job). */
  | { type: "adopted"; item: Item; job: import("@slng/types").BatchJob; reason: "adopted" | "shared" }
  /** `written`: the store has the `downloading` state (a shared run's workers can claim the download). */
  | { type: "finished"; item: Item; written: Promise<void> };

/**
 * The state one run shares between its parts: settings, the client, limiters, the store, the
 * items, the public event channel and the internal {@link WorkEvent} bus. Every state change
 * goes through {@link RunContext.setState}, which writes the store and emits the `input` event.
 */
export class RunContext {
  readonly events = new Channel<BulkEvent>();
  readonly s: Settings;
  /** The run's inputs, by position. */
  readonly inputs: Inputs;
  readonly items = new Map<string, Item>();
  readonly stop = new AbortController();
  readonly work = new Set<Promise<void>>();
  readonly limiter: AimdLimiter;
  readonly downloads: AimdLimiter;
  /** Finished jobs not saved yet: a one-process run's creates wait while it is full. */
  readonly backlog: Backlog;
  readonly started = Date.now();
  /** Jobs this process is creating or created: identical recordings follow the first one's job. */
  readonly shared = new SharedJobs();
  /** The run's settled inputs, compact (they leave {@link RunContext.items}). */
  settled: SettledTable | undefined;
  /** Positions of inputs given again under an earlier input's key → that input's position. */
  readonly duplicates = new Map<number, number>();
  client!: SlngClient;
  streamedUploads = false;
  salt = "";
  requests = 0;
  uploadsLeft = 0;
  fatal: BulkSummary["fatal"];
  private lastOk = Date.now();
  private readonly handlers: ((e: WorkEvent) => void)[] = [];

  constructor(
    readonly o: BulkOptions,
    readonly store: BulkStore,
  ) {
    this.s = resolveSettings(o);
    this.inputs = asInputs(o.inputs);
    this.limiter = new AimdLimiter(this.s.concurrency, Date.now, (concurrency) =>
      this.emit({ type: "concurrency", concurrency }),
    );
    this.downloads = new AimdLimiter(this.s.concurrency);
    this.backlog = new Backlog(4 * this.s.concurrency);
    setMaxListeners(0, this.stop.signal);
    if (o.signal?.aborted) this.stop.abort();
    o.signal?.addEventListener("abort", () => this.stop.abort(), { once: true });
  }

  /**
   * Adds the input at `index` to the run's items (a one-process run) with the record it starts
   * from; a key given twice keeps the first position.
   */
  register(input: BulkInput, index: number, rec: InputRecord): Item {
    const first = this.items.get(input.key)?.index;
    if (first !== undefined) this.duplicates.set(index, first);
    const item: Item = { input, rec, lastSeen: Date.now(), index: first ?? index };
    this.items.set(input.key, item);
    return item;
  }

  /**
   * A table of the inputs' positions by key, each key at its first position; an input given
   * again under an earlier input's key is noted in {@link RunContext.duplicates}.
   */
  indexInputs(): KeyIndex {
    const { inputs } = this;
    const index = new KeyIndex((i) => inputs.key(i), inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const first = index.firstOf(i);
      if (first !== i) this.duplicates.set(i, first);
    }
    return index;
  }

  /** The records of the run in input order, made one at a time (settled ones from the compact table). */
  records(): Iterable<InputRecord> {
    return recordsInOrder(this.inputs, this.settled, this.items, (i) => this.duplicates.get(i) ?? i);
  }

  /** Moves a settled item into the compact table (and a live one back out of it, unless the input has another item by now). */
  retire(item: Item): void {
    const { settled } = this;
    if (!settled || item.index === undefined) return;
    if (isSettled(item.rec.state)) {
      settled.put(item.index, item.rec);
      if (this.items.get(item.rec.key) === item) this.items.delete(item.rec.key);
    } else if (settled.has(item.index)) {
      settled.drop(item.index);
      if (!this.items.has(item.rec.key)) this.items.set(item.rec.key, item);
    }
  }

  /** Emits a public event. */
  emit(e: BulkEvent): void {
    this.events.push(e);
  }

  /** Subscribes a part of the run to the internal work events. */
  on(handler: (e: WorkEvent) => void): void {
    this.handlers.push(handler);
  }

  /** Hands a work event to every part subscribed. */
  hand(e: WorkEvent): void {
    for (const h of this.handlers) h(e);
  }

  /** Creates the API client: counts every request, feeds 429s to the limiter, chains the user's `onRetry`. */
  connect(): void {
    const user = this.o.client ?? {};
    const base = user.fetch;
    const uploadTransport = user.uploadTransport ?? (base ? "fetch" : "node-http");
    this.streamedUploads = uploadTransport === "node-http";
    this.client = createSlngClient({
      ...user,
      uploadTransport,
      fetch: (req, init) => {
        this.requests++;
        return base ? base(req, init) : globalThis.fetch(req, init);
      },
      onRetry: (info) => {
        if (this.streamedUploads && info.request.startsWith("POST")) this.requests++;
        if (info.status === 429) {
          this.limiter.rateLimited(info.delayMs);
          this.emit({ type: "rate_limited", retryAfterMs: info.delayMs, concurrency: this.limiter.limit });
        }
        user.onRetry?.(info);
      },
    });
  }

  /**
   * Records a new state (store + event). Resolves when the store has it durably. `origin` is
   * `poller` for a job's state read from the API (see {@link WriteOrigin}).
   */
  setState(
    item: Item,
    state: InputState,
    extra: Partial<InputRecord> = {},
    reason?: string,
    origin: WriteOrigin = "worker",
  ): Promise<void> {
    const previous = item.rec.state;
    item.rec = { ...item.rec, ...extra, state };
    this.retire(item);
    const written = this.store.append({ key: item.rec.key, ...extra, state }, origin);
    written.catch((e) => this.end("local", `cannot write the journal in ${this.o.outDir}: ${messageOf(e)}`));
    this.emit({
      type: "input",
      key: item.rec.key,
      state,
      previous,
      ...(item.rec.jobId && !(state === "failed" && noJob(item.rec)) ? { jobId: item.rec.jobId } : {}),
      ...(state === "failed" && item.rec.error ? { error: item.rec.error } : {}),
      ...(item.rec.audioSeconds !== undefined ? { audioSeconds: item.rec.audioSeconds } : {}),
      ...(reason ? { reason } : {}),
    });
    return written;
  }

  /** Runs `p` as tracked background work; an escaped error ends the run as `local`. */
  spawn(p: Promise<void>): void {
    const tracked = p
      .catch((e) => this.end("local", `stopped on a local error: ${messageOf(e)}`))
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  /** Waits for every piece of background work, including work spawned meanwhile. */
  async settle(): Promise<void> {
    while (this.work.size > 0) await Promise.all(this.work);
  }

  /** Notes a successful request (resets the offline clock). */
  ok(): void {
    this.lastOk = Date.now();
  }

  /** A retryable failure: true while the run may go on; after `maxOfflineMs` without success it ends the run. */
  transient(e: unknown): boolean {
    if (Date.now() - this.lastOk < this.s.maxOfflineMs) return true;
    this.end(
      "unreachable",
      `the API stayed unreachable for ${Math.round(this.s.maxOfflineMs / 1000)} s: ${messageOf(e)}`,
    );
    return false;
  }

  /** Ends the run on an error that is no one input's fault (emits `fatal` once, stops all work). */
  end(kind: FatalKind, message: string): void {
    if (this.fatal) return;
    this.fatal = { kind, message };
    this.emit({ type: "fatal", kind, message });
    this.stop.abort();
  }
}
