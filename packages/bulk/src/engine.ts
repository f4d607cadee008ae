import { setMaxListeners } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createSlngClient, type SlngClient, type SlngError } from "@slng/client";
import type { BatchJob } from "@slng/types";
import { AimdLimiter } from "./aimd.js";
import { Channel } from "./channel.js";
import { saveOutputs } from "./download.js";
import { deriveJobId, hashFile, hashText } from "./job-id.js";
import { failureOf, isAlreadyInUse, listSince, stateOf } from "./job-state.js";
import { JOURNAL_FILE, openFileJournal, replay } from "./journal.js";
import { BulkLockError } from "./lock.js";
import { type BulkOptions, resolveSettings, type Settings } from "./options.js";
import { type Decision, decide, outputPath, ownedFormats } from "./reconcile.js";
import { summarize, writeReport } from "./report.js";
import { OutputConflictError } from "./save.js";
import { SharedJobs } from "./shared-jobs.js";
import type { BulkEvent, BulkInput, BulkStore, BulkSummary, FatalKind, InputRecord, InputState } from "./types.js";
import { backoff, messageOf, sleep } from "./util.js";

interface Item {
  input: BulkInput;
  rec: InputRecord;
  lastSeen: number;
  /** `rec.createdAt` is when the create that made the job was sent (not an adopted job's re-send). */
  timed?: boolean;
  /** Picked up from an earlier run's journal (its downloads may have left temporary files). */
  resumed?: boolean;
}

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
  private readonly shared = new SharedJobs();
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
          decide(
            input,
            records.get(input.key),
            this.o.outDir,
            this.s.formats,
            !!this.o.retryFailed,
            !!this.o.overwrite,
          ),
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
        e instanceof BulkLockError
          ? e.message
          : `cannot keep the journal in ${this.o.outDir}: ${messageOf(e)}. Use an --out folder you can write`,
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
      item.resumed = d.action === "await" || d.action === "resume" || d.action === "download";
      if (d.refreshed) this.store.append(d.refreshed).catch(() => {});
      if (d.action === "missing")
        this.setState(item, "failed", { error: `${item.input.path} does not exist or is not a file` });
      else if (d.action === "conflict") this.setState(item, "failed", { error: d.reason, outputConflict: true });
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
    const { sha256, size, mtimeMs, attempt } = item.rec;
    this.setState(item, "uploading", {
      jobId,
      sha256,
      size,
      mtimeMs,
      attempt: attempt ?? 0,
      createdAt: Date.now(),
    });
    const claim = await this.shared.claim(jobId);
    if (claim.follow) return this.adopt(item, jobId, "shared");
    const outcome = await this.sendCreate(item, jobId);
    claim.settle(!["pending", "uploading", "failed"].includes(item.rec.state));
    return outcome;
  }

  private async sendCreate(item: Item, jobId: string): Promise<"done" | "again"> {
    const { input } = item;
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
  private async adopt(item: Item, jobId: string, reason = "adopted"): Promise<"done" | "again"> {
    try {
      const job = await this.client.jobs.get(jobId, { signal: this.stop.signal });
      this.ok();
      this.track(item, "queued", reason);
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
    const listed = await listSince(this.client, after, this.stop.signal, (job) => {
      changed = this.observe(job) || changed;
      return this.inflight.size > 0;
    });
    let requests = listed;
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
      const next = stateOf(job);
      if (next === item.rec.state && !facts.submittedAt) continue;
      changed = changed || next !== item.rec.state;
      if (next === "failed") facts.error = failureOf(job);
      if (next === "downloading" || next === "failed") keys.delete(key);
      if (next === "downloading") {
        this.setState(item, "downloading", facts);
        this.spawn(this.download(item));
      } else this.setState(item, next, facts);
    }
    if (keys.size === 0) this.inflight.delete(job.job_id);
    return changed;
  }

  /** Saves every wanted format of a DONE job, each atomically; the input is done once the journal says so. */
  private async download(item: Item): Promise<void> {
    const jobId = item.rec.jobId as string;
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      await this.downloads.acquire();
      try {
        if (this.stop.signal.aborted) return;
        const saved = await saveOutputs(this.client, {
          jobId,
          formats: this.s.formats,
          saved: item.rec.saved ?? [],
          pathOf: (format) => outputPath(this.o.outDir, item.rec.key, format),
          fetch: this.o.client?.fetch,
          signal: this.stop.signal,
          onRequest: () => this.requests++,
          onSaved: (formats) => {
            item.rec.saved = formats;
          },
          cleanStale: item.resumed === true,
          root: this.o.outDir,
          owned: ownedFormats(item.rec),
          overwrite: !!this.o.overwrite,
          claim: (claimed) => {
            item.rec.claimed = claimed;
            return this.store.append({ key: item.rec.key, claimed });
          },
        });
        this.ok();
        await this.setState(item, "done", {
          saved: [...saved],
          ...(item.rec.outputConflict ? { outputConflict: false } : {}),
        });
        return;
      } catch (e) {
        if (this.stop.signal.aborted) return;
        const err = e as SlngError & { status?: number };
        if (err.status === 403 && attempt === 0) continue;
        if (!err.retryable || attempt + 1 >= this.s.maxAttempts || !this.transient(e)) {
          this.setState(item, "failed", {
            error: messageOf(e),
            ...(e instanceof OutputConflictError ? { outputConflict: true } : {}),
          });
          return;
        }
      } finally {
        this.downloads.release();
      }
      await sleep(backoff(attempt), this.stop.signal);
    }
  }

  private async finish(write: boolean): Promise<BulkSummary> {
    const records = [...this.items.values()].map((i) => i.rec);
    const summary = summarize(records, {
      requests: this.requests,
      elapsedMs: Date.now() - this.started,
      ...(this.fatal ? { fatal: this.fatal } : {}),
    });
    if (write) summary.reportPath = await writeReport(this.o.outDir, summary, records);
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
