import { setMaxListeners } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createSlngClient, SlngApiError, type SlngClient, type SlngError } from "@slng/client";
import type { BatchJob, JobStatus } from "@slng/types";
import { AimdLimiter } from "./aimd.js";
import { Channel } from "./channel.js";
import { fetchOutput } from "./download.js";
import { deriveJobId, hashFile, hashText } from "./job-id.js";
import { JOURNAL_FILE, openFileJournal, replay } from "./journal.js";
import { type BulkOptions, resolveSettings, type Settings } from "./options.js";
import { type Decision, decide, outputPath } from "./reconcile.js";
import { writeReport } from "./report.js";
import { saveAtomically } from "./save.js";
import type {
  BulkEvent,
  BulkInput,
  BulkStore,
  BulkSummary,
  FatalKind,
  InputRecord,
  InputState,
  StateCounts,
} from "./types.js";

/** Statuses the poll asks the list for: every one but QUEUED (no news there). */
const WATCHED: JobStatus[] = ["IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE", "FAILED", "DELETED"];

const STATES: InputState[] = ["pending", "uploading", "queued", "processing", "downloading", "done", "failed"];

interface Item {
  input: BulkInput;
  rec: InputRecord;
  lastSeen: number;
  /** `rec.createdAt` is when the create that made the job was sent (not an adopted job's re-send). */
  timed?: boolean;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

const backoff = (attempt: number) => Math.random() * Math.min(30_000, 1000 * 2 ** attempt);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isAlreadyInUse = (e: unknown) =>
  e instanceof SlngApiError && (e.status === 409 || (e.status === 400 && /already (in use|exists)/i.test(e.message)));

/** Runs one bulk transcription; see {@link runBulk}. */
class BulkRun {
  readonly events = new Channel<BulkEvent>();
  private readonly s: Settings;
  private readonly items = new Map<string, Item>();
  private readonly inflight = new Map<string, Set<string>>();
  private readonly stop = new AbortController();
  private readonly work = new Set<Promise<void>>();
  private readonly limiter: AimdLimiter;
  private readonly downloads: AimdLimiter;
  private readonly store: BulkStore;
  private client!: SlngClient;
  private streamedUploads = false;
  private salt = "";
  private requests = 0;
  private uploadsLeft = 0;
  private lastOk = Date.now();
  private fatal: BulkSummary["fatal"];
  private wakePoll: (() => void) | undefined;
  /** Server clock minus local clock (smallest seen), learned from jobs seen in both. */
  private offsetMs: number | undefined;
  private readonly started = Date.now();

  constructor(private readonly o: BulkOptions) {
    this.s = resolveSettings(o);
    this.store = o.store ?? openFileJournal(o.outDir);
    this.limiter = new AimdLimiter(this.s.concurrency, Date.now, (concurrency) =>
      this.emit({ type: "concurrency", concurrency }),
    );
    this.downloads = new AimdLimiter(this.s.concurrency);
    setMaxListeners(0, this.stop.signal);
    if (o.signal?.aborted) this.stop.abort();
    o.signal?.addEventListener("abort", () => this.stop.abort(), { once: true });
  }

  private emit(e: BulkEvent) {
    this.events.push(e);
  }

  /** Runs to the end; events go to `this.events`, which ends with the summary. */
  async run(): Promise<BulkSummary> {
    try {
      return await (this.o.dryRun ? this.dryRun() : this.execute());
    } finally {
      this.limiter.stop();
      this.downloads.stop();
      this.events.end();
    }
  }

  private async dryRun(): Promise<BulkSummary> {
    const { records } = await this.peekJournal();
    const decisions = await this.decideAll(records);
    this.emitPlan(decisions);
    for (const [key, d] of decisions)
      this.emit({ type: "input", key, state: d.record.state, previous: d.record.state, reason: `would ${d.action}` });
    return this.finish(false);
  }

  private async peekJournal() {
    if (this.o.store) return this.o.store.load();
    return replay(await readFile(join(this.o.outDir, JOURNAL_FILE), "utf8").catch(() => ""));
  }

  private async decideAll(records: Map<string, InputRecord>) {
    const out = new Map<string, Decision>();
    const keys = this.o.inputs.map((i) => i.key);
    for (let i = 0; i < keys.length; i += 64) {
      const batch = this.o.inputs.slice(i, i + 64);
      const ds = await Promise.all(
        batch.map((input) =>
          decide(input, records.get(input.key), this.o.outDir, this.s.formats, !!this.o.retryFailed),
        ),
      );
      batch.forEach((input, j) => {
        out.set(input.key, ds[j] as Decision);
        this.items.set(input.key, { input, rec: (ds[j] as Decision).record, lastSeen: Date.now() });
      });
    }
    return out;
  }

  private emitPlan(decisions: Map<string, Decision>) {
    let alreadyDone = 0;
    let resumed = 0;
    for (const d of decisions.values()) {
      if (d.action === "skip") alreadyDone++;
      if (d.action === "await" || d.action === "resume" || d.action === "download") resumed++;
    }
    this.emit({
      type: "plan",
      total: decisions.size,
      skippedFiles: [...(this.o.skippedFiles ?? [])],
      alreadyDone,
      resumed,
    });
  }

  private async execute(): Promise<BulkSummary> {
    let loaded: Awaited<ReturnType<BulkStore["load"]>>;
    try {
      loaded = await this.store.load();
    } catch (e) {
      this.end(
        "local",
        `cannot keep the journal in ${this.o.outDir}: ${messageOf(e)}. Use an --out folder you can write`,
      );
      for (const input of this.o.inputs)
        this.items.set(input.key, { input, rec: { key: input.key, state: "pending" }, lastSeen: 0 });
      return this.finish(false);
    }
    this.salt = loaded.salt;
    this.client = this.makeClient();
    const decisions = await this.decideAll(loaded.records);
    this.emitPlan(decisions);
    const uploads: string[] = [];
    for (const [key, d] of decisions) {
      const item = this.items.get(key) as Item;
      if (d.action === "missing") this.setState(item, "failed", { error: `${item.input.path} no longer exists` });
      else if (d.action === "skip" || d.action === "keep-failed")
        this.emit({ type: "input", key, state: d.record.state, previous: d.record.state, reason: "earlier run" });
      else if (d.action === "await") {
        item.timed = true;
        this.track(item, d.record.state, d.reason);
      } else if (d.action === "download") this.track(item, "downloading", "resumed");
      else {
        if (d.reason === "changed" || d.reason === "retry") this.setState(item, "pending", { ...d.record }, d.reason);
        uploads.push(key);
      }
    }
    this.uploadsLeft = uploads.length;
    const poller = this.pollLoop();
    await this.uploadLoop(uploads);
    await poller;
    while (this.work.size > 0) await Promise.all(this.work);
    await this.store.close();
    return this.finish(true);
  }

  private makeClient(): SlngClient {
    const user = this.o.client ?? {};
    const base = user.fetch;
    const uploadTransport = user.uploadTransport ?? (base ? "fetch" : "node-http");
    this.streamedUploads = uploadTransport === "node-http";
    return createSlngClient({
      ...user,
      uploadTransport,
      fetch: (req, init) => {
        this.requests++;
        return base ? base(req, init) : globalThis.fetch(req);
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

  /** Records a new state (journal + event). Resolves when the journal has it durably. */
  private setState(item: Item, state: InputState, extra: Partial<InputRecord> = {}, reason?: string): Promise<void> {
    const previous = item.rec.state;
    item.rec = { ...item.rec, ...extra, state };
    const written = this.store.append({ key: item.rec.key, ...extra, state });
    written.catch((e) => this.end("local", `cannot write the journal in ${this.o.outDir}: ${messageOf(e)}`));
    this.emit({
      type: "input",
      key: item.rec.key,
      state,
      previous,
      ...(item.rec.jobId ? { jobId: item.rec.jobId } : {}),
      ...(state === "failed" && item.rec.error ? { error: item.rec.error } : {}),
      ...(item.rec.audioSeconds !== undefined ? { audioSeconds: item.rec.audioSeconds } : {}),
      ...(reason ? { reason } : {}),
    });
    return written;
  }

  /** Follows an input whose job exists: in flight (polled) or DONE (downloaded). */
  private track(item: Item, state: InputState, reason?: string) {
    if (state !== item.rec.state || reason) this.setState(item, state, {}, reason);
    if (state === "downloading") return this.spawn(this.download(item));
    const id = item.rec.jobId as string;
    const keys = this.inflight.get(id) ?? new Set();
    keys.add(item.rec.key);
    this.inflight.set(id, keys);
    item.lastSeen = Date.now();
  }

  private spawn(p: Promise<void>) {
    const tracked = p
      .catch((e) => this.end("local", `stopped on a local error: ${messageOf(e)}`))
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private ok() {
    this.lastOk = Date.now();
  }

  /** A retryable failure: true while the run may go on; after `maxOfflineMs` without success it ends the run. */
  private transient(e: unknown): boolean {
    if (Date.now() - this.lastOk < this.s.maxOfflineMs) return true;
    this.end(
      "unreachable",
      `the API stayed unreachable for ${Math.round(this.s.maxOfflineMs / 1000)} s: ${messageOf(e)}`,
    );
    return false;
  }

  private end(kind: FatalKind, message: string) {
    if (this.fatal) return;
    this.fatal = { kind, message };
    this.emit({ type: "fatal", kind, message });
    this.stop.abort();
  }

  private async uploadLoop(keys: string[]) {
    for (const key of keys) {
      await this.limiter.acquire();
      if (this.stop.signal.aborted) {
        this.limiter.release();
        break;
      }
      this.spawn(this.upload(this.items.get(key) as Item));
    }
    await Promise.all(this.work);
    this.uploadsLeft = 0;
    this.wakePoll?.();
  }

  /** Hashes (if needed), creates the job under its derived id, and hands it to the poller. */
  private async upload(item: Item): Promise<void> {
    let held = true;
    try {
      for (let attempt = 0; ; attempt++) {
        if (!held) await this.limiter.acquire();
        held = true;
        if (this.stop.signal.aborted) return;
        const outcome = await this.createOnce(item);
        this.limiter.release();
        held = false;
        if (outcome === "done") return;
        if (attempt + 1 >= this.s.maxAttempts) {
          this.setState(item, "failed", { error: item.rec.error ?? "could not create the job" });
          return;
        }
        await sleep(backoff(attempt), this.stop.signal);
      }
    } finally {
      if (held) this.limiter.release();
      this.uploadsLeft--;
    }
  }

  private async prepare(item: Item): Promise<string> {
    const { input } = item;
    if (!item.rec.sha256) {
      const info = input.path ? await stat(input.path) : undefined;
      const sha256 = input.path ? await hashFile(input.path) : hashText(input.url as string);
      item.rec = { ...item.rec, sha256, ...(info ? { size: info.size, mtimeMs: info.mtimeMs } : {}) };
    }
    const jobId =
      item.rec.jobId && item.rec.state !== "pending"
        ? item.rec.jobId
        : deriveJobId({
            salt: this.salt,
            sha256: item.rec.sha256 as string,
            settings: this.settingsOf(input),
            attempt: item.rec.attempt ?? 0,
          });
    return jobId;
  }

  private settingsOf(input: BulkInput) {
    const config = { ...this.o.config, ...(input.language ? { language: input.language } : {}) };
    return { config, model: this.o.modelCode, output: this.o.outputConfig };
  }

  /** One create attempt: "done" when the input moved on (queued, adopted or failed for good), else "again". */
  private async createOnce(item: Item): Promise<"done" | "again"> {
    let jobId: string;
    try {
      jobId = await this.prepare(item);
    } catch (e) {
      this.setState(item, "failed", { error: `cannot read ${item.input.path}: ${messageOf(e)}` });
      return "done";
    }
    const { input } = item;
    const { sha256, size, mtimeMs, attempt } = item.rec;
    this.setState(item, "uploading", {
      jobId,
      sha256,
      size,
      mtimeMs,
      attempt: attempt ?? 0,
      createdAt: Date.now(),
    });
    const settings = this.settingsOf(input);
    try {
      if (this.streamedUploads && input.path) this.requests++;
      await this.client.jobs.create({
        ...(input.path ? { file: input.path } : { url: input.url as string }),
        jobId,
        config: settings.config,
        ...(this.o.modelCode ? { modelCode: this.o.modelCode } : {}),
        ...(this.o.outputConfig ? { outputConfig: this.o.outputConfig } : {}),
        ...this.rowOptions(input),
        signal: this.stop.signal,
        onUploadProgress: (p) => {
          if (p.phase === "upload")
            this.emit({ type: "upload_progress", key: input.key, loaded: p.loaded, total: p.total });
        },
      });
      this.ok();
      this.limiter.success();
      item.timed = true;
      this.track(item, "queued");
      return "done";
    } catch (e) {
      return this.createFailed(item, jobId, e);
    }
  }

  private rowOptions(input: BulkInput) {
    const tracking = { ...this.o.tracking, ...input.tracking };
    const metadata = { ...this.o.metadata, ...input.metadata };
    return {
      ...(Object.keys(tracking).length ? { tracking } : {}),
      ...(Object.keys(metadata).length ? { metadata } : {}),
    };
  }

  private async createFailed(item: Item, jobId: string, e: unknown): Promise<"done" | "again"> {
    if (this.stop.signal.aborted) return "done";
    if (isAlreadyInUse(e)) return this.adopt(item, jobId);
    const err = e as SlngError & { status?: number; retryAfterMs?: number };
    if (err.status === 403 || err.status === 401) {
      this.end("auth", `not authorised (${err.status}): ${err.message}. Check SLNG_API_KEY or --api-key.`);
      return "done";
    }
    if (err.status === 429) this.limiter.rateLimited(err.retryAfterMs ?? 1000);
    if (err.retryable) {
      item.rec.error = err.message;
      return this.transient(e) ? "again" : "done";
    }
    this.ok();
    this.setState(item, "failed", { error: err.message ?? String(e) });
    return "done";
  }

  /** The server already has this id: the create landed in an earlier attempt or run. Follow that job. */
  private async adopt(item: Item, jobId: string): Promise<"done" | "again"> {
    try {
      const job = await this.client.jobs.get(jobId, { signal: this.stop.signal });
      this.ok();
      this.track(item, "queued", "adopted");
      this.observe(job);
      return "done";
    } catch (e) {
      const err = e as SlngError & { status?: number };
      if (err.status === 404) {
        this.setState(item, "failed", {
          error: `job id ${jobId} is taken by a job this API key cannot see; delete ${this.o.outDir}/.slng-bulk.jsonl to start afresh`,
        });
        return "done";
      }
      return err.retryable && this.transient(e) ? "again" : "done";
    }
  }

  private get uploading() {
    return this.uploadsLeft > 0;
  }

  private async pollLoop() {
    let interval = this.s.pollMin;
    while (!this.stop.signal.aborted && (this.uploading || this.inflight.size > 0)) {
      await new Promise<void>((resolve) => {
        this.wakePoll = resolve;
        sleep(interval, this.stop.signal).then(resolve);
      });
      this.wakePoll = undefined;
      if (this.stop.signal.aborted || this.inflight.size === 0) continue;
      let changed = false;
      try {
        changed = await this.pollOnce();
        this.ok();
      } catch (e) {
        if (this.stop.signal.aborted) break;
        if ((e as SlngError & { status?: number }).status === 403) this.end("auth", `not authorised: ${messageOf(e)}`);
        else if (!(e as SlngError).retryable || !this.transient(e)) {
          if (!this.fatal) this.end("unreachable", messageOf(e));
        }
      }
      interval = changed ? this.s.pollMin : Math.min(this.s.pollMax, interval * 1.5);
    }
  }

  /** One poll: the job list since the oldest job in flight, 100 a page; then GETs for long-unseen stragglers. */
  private async pollOnce(): Promise<boolean> {
    let changed = false;
    let after = Number.POSITIVE_INFINITY;
    for (const keys of this.inflight.values()) {
      const rec = (this.items.get([...keys][0] as string) as Item).rec;
      const t = rec.submittedAt ? Date.parse(rec.submittedAt) : this.serverTimeOf(rec.createdAt ?? Date.now());
      after = Math.min(after, t - 1000);
    }
    let requests = 0;
    for (let page = 1; ; page++) {
      const res = await this.client.jobs.listPage({
        status: WATCHED,
        submittedAfter: new Date(after),
        pageSize: 100,
        sortBy: "submitted_at",
        sortOrder: "asc",
        page,
        signal: this.stop.signal,
      });
      requests++;
      for (const job of res.items) changed = this.observe(job) || changed;
      if (page >= res.meta.pages || res.items.length === 0 || this.inflight.size === 0) break;
    }
    const now = Date.now();
    for (const [id, keys] of [...this.inflight]) {
      const item = this.items.get([...keys][0] as string) as Item;
      if (now - item.lastSeen < this.s.stragglerMs) continue;
      item.lastSeen = now;
      requests++;
      changed = this.observe(await this.client.jobs.get(id, { signal: this.stop.signal })) || changed;
    }
    this.emit({ type: "poll", requests, inFlight: this.inflight.size });
    return changed;
  }

  /**
   * The earliest server time a job created at local time `local` can carry: once one job has
   * been seen in both clocks, local time + the smallest offset seen − 5 s; before that,
   * `clockSkewMs` earlier. Keeps the list window (and so the pages per poll) tight.
   */
  private serverTimeOf(local: number): number {
    return this.offsetMs === undefined ? local - this.s.clockSkewMs : local + this.offsetMs - 5000;
  }

  private learnOffset(item: Item, submittedAt: string) {
    if (!item.timed || item.rec.createdAt === undefined) return;
    const offset = Date.parse(submittedAt) - item.rec.createdAt;
    if (Number.isFinite(offset)) this.offsetMs = Math.min(this.offsetMs ?? offset, offset);
  }

  /** Applies a job snapshot to the inputs waiting on it; true when one of them changed state. */
  private observe(job: BatchJob): boolean {
    const keys = this.inflight.get(job.job_id);
    if (!keys) return false;
    let changed = false;
    for (const key of keys) {
      const item = this.items.get(key) as Item;
      item.lastSeen = Date.now();
      const facts: Partial<InputRecord> = {};
      if (job.submitted_at && !item.rec.submittedAt) {
        facts.submittedAt = job.submitted_at;
        this.learnOffset(item, job.submitted_at);
      }
      const audio = job.input_metadata?.duration_seconds;
      if (typeof audio === "number") facts.audioSeconds = audio;
      if (job.started_at && job.completed_at)
        facts.processingSeconds = (Date.parse(job.completed_at) - Date.parse(job.started_at)) / 1000;
      const next = this.stateOf(job);
      if (next === item.rec.state && !facts.submittedAt) continue;
      changed = changed || next !== item.rec.state;
      if (next === "failed") facts.error = this.failureOf(job);
      if (next === "downloading" || next === "failed") keys.delete(key);
      if (next === "downloading") {
        this.setState(item, "downloading", facts);
        this.spawn(this.download(item));
      } else this.setState(item, next, facts);
    }
    if (keys.size === 0) this.inflight.delete(job.job_id);
    return changed;
  }

  private stateOf(job: BatchJob): InputState {
    if (job.expired_at) return "failed";
    if (job.status === "DONE") return "downloading";
    if (job.status === "FAILED" || job.status === "DELETED") return "failed";
    return job.status === "QUEUED" ? "queued" : "processing";
  }

  private failureOf(job: BatchJob): string {
    if (job.expired_at) return `job ${job.job_id} expired before its outputs were saved`;
    if (job.status === "DELETED") return `job ${job.job_id} was deleted before its outputs were saved`;
    return job.error_message?.message ?? `job ${job.job_id} failed`;
  }

  /** Saves every wanted format of a DONE job, each atomically; the input is done once the journal says so. */
  private async download(item: Item): Promise<void> {
    const jobId = item.rec.jobId as string;
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      await this.downloads.acquire();
      try {
        if (this.stop.signal.aborted) return;
        const saved = new Set(item.rec.saved ?? []);
        const files = await this.client.jobs.files(jobId, { signal: this.stop.signal });
        for (const format of this.s.formats) {
          if (saved.has(format)) continue;
          const out = files.outputs.find((o) => o.format === format);
          if (!out) throw Object.assign(new Error(`job ${jobId} has no ${format} output`), { retryable: false });
          const body = await fetchOutput(
            out.download_url,
            this.o.client?.fetch,
            this.stop.signal,
            () => this.requests++,
          );
          await saveAtomically(outputPath(this.o.outDir, item.rec.key, format), body);
          saved.add(format);
          item.rec.saved = [...saved];
        }
        this.ok();
        await this.setState(item, "done", { saved: [...saved] });
        return;
      } catch (e) {
        if (this.stop.signal.aborted) return;
        const err = e as SlngError & { status?: number };
        if (err.status === 403 && attempt === 0) continue;
        if (!err.retryable || attempt + 1 >= this.s.maxAttempts || !this.transient(e)) {
          this.setState(item, "failed", { error: messageOf(e) });
          return;
        }
      } finally {
        this.downloads.release();
      }
      await sleep(backoff(attempt), this.stop.signal);
    }
  }

  private async finish(write: boolean): Promise<BulkSummary> {
    const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as StateCounts;
    const failed: BulkSummary["failed"] = [];
    let audioSecondsDone = 0;
    for (const { rec } of this.items.values()) {
      counts[rec.state]++;
      if (rec.state === "done") audioSecondsDone += rec.audioSeconds ?? 0;
      if (rec.state === "failed")
        failed.push({ key: rec.key, ...(rec.jobId ? { jobId: rec.jobId } : {}), error: rec.error ?? "failed" });
    }
    const detached = counts.done + counts.failed < this.items.size;
    const summary: BulkSummary = {
      total: this.items.size,
      counts,
      failed,
      audioSecondsDone,
      detached,
      requests: this.requests,
      elapsedMs: Date.now() - this.started,
      ...(this.fatal ? { fatal: this.fatal } : {}),
    };
    if (write)
      summary.reportPath = await writeReport(
        this.o.outDir,
        summary,
        [...this.items.values()].map((i) => i.rec),
      );
    this.emit({ type: "summary", summary });
    return summary;
  }
}

/** A running bulk transcription: iterate it for events; `done` resolves with the summary. */
export interface BulkRunHandle extends AsyncIterable<BulkEvent> {
  /** The summary, once every input is saved or failed, or the run was stopped. */
  readonly done: Promise<BulkSummary>;
}

/**
 * Transcribes many recordings: uploads/creates `concurrency` at a time (AIMD on 429), each under
 * a job id derived from its content and settings (so a rerun never makes a second job), learns
 * which finished from the job list (a few pages per poll, not one GET per job), saves each
 * format atomically under `outDir` mirroring the inputs, and keeps its state in a journal there
 * so a rerun after any crash resumes. Iterate the handle for typed events; the last is `summary`.
 */
export function runBulk(options: BulkOptions): BulkRunHandle {
  const run = new BulkRun(options);
  const done = run.run();
  done.catch(() => {});
  return {
    done,
    [Symbol.asyncIterator]: () => run.events[Symbol.asyncIterator](),
  };
}
