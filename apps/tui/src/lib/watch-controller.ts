import type { BatchJob, JobOutputFile } from "@slng/types";
import type { ConnectionEvent, JobsApi } from "./api.js";
import { classifyError, describeError } from "./errors.js";
import { type Eta, estimateFinish, measureSpeed, type SpeedSample } from "./eta.js";
import { EXIT, type ExitCode, exitCodeForJob } from "./exit-codes.js";
import { formatDuration } from "./format.js";
import { advanceTimeline, type Timeline } from "./timeline.js";

/** The API connection as the watch sees it. */
export interface ConnectionState {
  status: "connecting" | "ok" | "retrying";
  /** When the current trouble began (ms). */
  since?: number;
  /** Failed attempts since the last success. */
  failures: number;
  /** What went wrong last ("503 Service Unavailable", "connection reset"…). */
  detail?: string;
  /** When the watch will try again (ms), while it waits between attempts. */
  retryAt?: number;
}

/** How a watch ended. */
export interface WatchOutcome {
  code: ExitCode;
  /** A one-line explanation: "DONE", "FAILED: …", "interrupted", "timed out after 30s"… */
  reason: string;
}

/** Everything a renderer needs to draw a watch. Immutable: a new object on every change. */
export interface WatchState {
  jobId: string;
  job?: BatchJob;
  timeline: Timeline;
  connection: ConnectionState;
  speed?: SpeedSample;
  outputs?: JobOutputFile[];
  /** The txt transcript once the job is DONE and it could be fetched. */
  transcript?: string;
  /** Why the transcript preview is missing, when fetching it failed. */
  transcriptError?: string;
  /** Set once the watch has ended. */
  outcome?: WatchOutcome;
  /** A transient notice (saved files, delete result). */
  notice?: string;
}

/** Options of {@link WatchController}. */
export interface WatchControllerOptions {
  /** Overall deadline; reaching it ends the watch with exit code 4. */
  timeoutMs?: number;
  /** How long the API may stay unreachable before the watch gives up with exit code 3 (default 10 min). */
  maxOfflineMs?: number;
  /** The same, before the API has answered even once — a wrong base URL, say (default 20 s). */
  maxOfflineBeforeFirstMs?: number;
  /** Whether to fetch outputs and the transcript when the job is DONE (default true). */
  fetchTranscript?: boolean;
  /** Whether to look up recent jobs for the ETA (default true). */
  estimate?: boolean;
  /** The outcome's reason when the user quits (q); default "stopped watching (the job keeps running)". */
  quitReason?: string;
  /** The outcome's reason on Ctrl+C; default "interrupted (the job keeps running)". */
  interruptReason?: string;
  /** Clock, for tests. */
  now?: () => number;
  /** Backoff between watch restarts after a transient error (ms, attempt → delay). */
  backoff?: (attempt: number) => number;
  /** Poll bounds passed to the client's watch. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
}

/** How a job that has ended ends the watch: its exit code and "DONE", "FAILED: …" or "expired". */
function jobOutcome(job: BatchJob, code: ExitCode): WatchOutcome {
  const reason = job.expired_at && job.status !== "FAILED" ? "expired" : job.status;
  const message = job.status === "FAILED" && job.error_message ? `: ${job.error_message.message}` : "";
  return { code, reason: `${reason}${message}` };
}

/**
 * "API unreachable for 21s": how long it really was (the view counted it up live, so the final
 * line never shows less than the view did), in the view's format.
 */
function offlineFor(ms: number): string {
  return `API unreachable for ${formatDuration(ms)}`;
}

/** True when two poll paces are the same. */
function samePace(a: { minIntervalMs?: number; maxIntervalMs?: number }, b: typeof a): boolean {
  return a.minIntervalMs === b.minIntervalMs && a.maxIntervalMs === b.maxIntervalMs;
}

/** True for a snapshot that ends the watch (its pace no longer matters). */
function endsWatch(job: BatchJob): boolean {
  return exitCodeForJob(job) !== undefined;
}

const DEFAULT_BACKOFF = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));

/**
 * Drives one job's watch independently of any renderer: runs the client's `jobs.watch`,
 * rides out transient errors (restarting the watch with backoff and reporting "retrying in
 * N s"), ends on every terminal state (DONE, FAILED, DELETED, expired), on 403/404, on the
 * deadline or on abort, and publishes immutable {@link WatchState} snapshots only when
 * something changed.
 */
export class WatchController {
  private state: WatchState;
  private readonly listeners = new Set<(state: WatchState) => void>();
  private readonly main = new AbortController();
  private inner: AbortController | undefined;
  private wake: (() => void) | undefined;
  private stopReason: "interrupt" | "quit" | "timeout" | "offline" | undefined;
  private offlineReason = "";
  private readonly now: () => number;
  private done: Promise<WatchOutcome> | undefined;

  constructor(
    private readonly api: JobsApi,
    readonly jobId: string,
    private readonly options: WatchControllerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.state = WatchController.initialState(jobId);
  }

  /** The state of a watch before its first answer: nothing known but the job id. */
  static initialState(jobId: string): WatchState {
    return { jobId, timeline: { stages: [] }, connection: { status: "connecting", failures: 0 } };
  }

  /** The current state snapshot. */
  getState = (): WatchState => this.state;

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe = (listener: (state: WatchState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current ETA at `now`, if there is data for one. */
  eta(now: number): Eta | undefined {
    return this.state.job ? estimateFinish(this.state.job, this.state.speed, now) : undefined;
  }

  private set(patch: Partial<WatchState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Feeds a connection observation from the monitoring fetch (see `createMonitoredFetch`). */
  noteConnection = (event: ConnectionEvent): void => {
    if (this.state.outcome) return;
    const c = this.state.connection;
    if (event.ok) {
      if (c.status !== "ok") this.set({ connection: { status: "ok", failures: 0 } });
      return;
    }
    const retrying = c.status === "retrying";
    const since = retrying && c.since !== undefined ? c.since : event.at;
    const limit = this.offlineLimit();
    if (event.at - since >= limit && !this.stopReason) {
      this.offlineReason = `${offlineFor(event.at - since)}${(event.detail ?? c.detail) ? ` (${event.detail ?? c.detail})` : ""}`;
      this.stopReason = "offline";
      this.main.abort();
      this.inner?.abort();
      this.wake?.();
      return;
    }
    this.set({
      connection: {
        status: "retrying",
        since: retrying ? c.since : event.at,
        failures: event.retryInMs !== undefined ? c.failures : c.failures + 1,
        ...(event.detail ? { detail: event.detail } : retrying && c.detail ? { detail: c.detail } : {}),
        ...(event.retryInMs !== undefined ? { retryAt: event.at + event.retryInMs } : {}),
      },
    });
  };

  /** How long the API may stay unreachable: shorter before it has ever answered (a wrong base URL). */
  private offlineLimit(): number {
    const max = this.options.maxOfflineMs ?? 600_000;
    return this.state.job ? max : Math.min(max, this.options.maxOfflineBeforeFirstMs ?? 20_000);
  }

  /** Starts the watch (once); resolves with how it ended. */
  run(): Promise<WatchOutcome> {
    this.done ??= this.loop();
    return this.done;
  }

  /** Polls now instead of waiting for the next scheduled poll. */
  refresh(): void {
    if (this.state.outcome) return;
    this.inner?.abort();
    this.wake?.();
  }

  /**
   * Stops watching: `interrupt` (Ctrl+C, exit 130 — also once the watch has ended, e.g. under
   * `--stay`) or `quit` (q: the job keeps running, exit 0).
   */
  stop(reason: "interrupt" | "quit"): void {
    const ended = this.state.outcome;
    if (ended && reason === "interrupt" && ended.code !== EXIT.interrupted) {
      // Interrupted after the end (a --stay view): the process ends 130, and the final line says so.
      this.set({ outcome: { code: EXIT.interrupted, reason: `${ended.reason}, then interrupted` } });
    }
    this.stopReason ??= reason;
    this.main.abort();
    this.inner?.abort();
    this.wake?.();
  }

  /** Deletes the job (terminal jobs only); updates the state and returns a message. */
  async deleteJob(): Promise<string> {
    try {
      await this.api.delete(this.jobId);
      const job = this.state.job ? { ...this.state.job, status: "DELETED" as const } : undefined;
      const notice = `Deleted job ${this.jobId}.`;
      const ended = this.state.outcome;
      // The outputs are gone with the job: they are no longer shown nor offered for saving. A
      // watch that had ended (--stay) keeps its exit code, and its final line says what followed.
      this.set({
        ...(job ? { job, timeline: advanceTimeline(this.state.timeline, job, this.now()) } : {}),
        ...(ended ? { outcome: { ...ended, reason: `${ended.reason}, then deleted` } } : {}),
        outputs: undefined,
        notice,
      });
      return notice;
    } catch (error) {
      const notice = `Could not delete: ${describeError(error)}`;
      this.set({ notice });
      return notice;
    }
  }

  /** Sets the transient notice line. */
  setNotice(notice: string | undefined): void {
    this.set(notice === undefined ? { notice: undefined } : { notice });
  }

  private finish(outcome: WatchOutcome): WatchOutcome {
    this.set({ outcome, connection: { ...this.state.connection, retryAt: undefined } as ConnectionState });
    return outcome;
  }

  private applyJob(job: BatchJob): void {
    const now = this.now();
    const timeline = advanceTimeline(this.state.timeline, job, now);
    const prev = this.state.job;
    const changed =
      !prev ||
      prev.status !== job.status ||
      prev.updated_at !== job.updated_at ||
      prev.expired_at !== job.expired_at ||
      prev.input_metadata?.duration_seconds !== job.input_metadata?.duration_seconds;
    const connection: ConnectionState =
      this.state.connection.status === "ok" ? this.state.connection : { status: "ok", failures: 0 };
    if (changed || timeline !== this.state.timeline || connection !== this.state.connection) {
      this.set({ job, timeline, connection });
    }
  }

  private async loadSpeed(): Promise<void> {
    try {
      const page = await this.api.listPage({ status: ["DONE"], pageSize: 20, signal: this.main.signal });
      const speed = measureSpeed(page.items.filter((j) => j.job_id !== this.jobId));
      if (speed && !this.state.outcome) this.set({ speed });
    } catch {
      // No data, no ETA.
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const main = this.main.signal;
      function done() {
        clearTimeout(timer);
        main.removeEventListener("abort", done);
        resolve();
      }
      main.addEventListener("abort", done, { once: true });
      this.wake = done;
    });
  }

  private async fetchResults(job: BatchJob): Promise<void> {
    if (job.status !== "DONE" || this.options.fetchTranscript === false) return;
    try {
      const files = await this.api.files(this.jobId, { signal: this.main.signal });
      this.set({ outputs: files.outputs });
      if (files.outputs.some((o) => o.format === "txt")) {
        const transcript = await this.api.download(this.jobId, "txt", { signal: this.main.signal });
        this.set({ transcript });
      }
    } catch (error) {
      if (this.main.signal.aborted) return;
      this.set({ transcriptError: describeError(error) });
    }
  }

  private stoppedOutcome(): WatchOutcome {
    if (this.stopReason === "timeout") {
      return { code: EXIT.timeout, reason: `timed out after ${Math.round((this.options.timeoutMs ?? 0) / 1000)}s` };
    }
    if (this.stopReason === "offline") return { code: EXIT.api, reason: this.offlineReason };
    if (this.stopReason === "quit") {
      // q while the results of an ended job were loading: the job's end, not "keeps running".
      const job = this.state.job;
      const code = job ? exitCodeForJob(job) : undefined;
      if (job && code !== undefined) return jobOutcome(job, code);
      return { code: EXIT.ok, reason: this.options.quitReason ?? "stopped watching (the job keeps running)" };
    }
    return { code: EXIT.interrupted, reason: this.options.interruptReason ?? "interrupted (the job keeps running)" };
  }

  /** The poll bounds for a job in `status`: the options' when given, else the API's pace for it. */
  private pace(status: BatchJob["status"] | undefined): { minIntervalMs?: number; maxIntervalMs?: number } {
    const paced = this.api.pace?.(status);
    const min = this.options.minIntervalMs ?? paced?.minIntervalMs;
    const max = this.options.maxIntervalMs ?? paced?.maxIntervalMs;
    return {
      ...(min !== undefined ? { minIntervalMs: min } : {}),
      ...(max !== undefined ? { maxIntervalMs: max } : {}),
    };
  }

  private async loop(): Promise<WatchOutcome> {
    let deadline: NodeJS.Timeout | undefined;
    if (this.options.timeoutMs !== undefined) {
      deadline = setTimeout(() => {
        this.stopReason ??= "timeout";
        this.main.abort();
        this.inner?.abort();
        this.wake?.();
      }, this.options.timeoutMs);
    }
    if (this.options.estimate !== false) void this.loadSpeed();
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    let attempt = 0;
    try {
      while (!this.main.signal.aborted) {
        this.inner = new AbortController();
        const signal = AbortSignal.any([this.main.signal, this.inner.signal]);
        try {
          const pace = this.pace(this.state.job?.status);
          for await (const job of this.api.watch(this.jobId, { signal, ...pace })) {
            attempt = 0;
            this.applyJob(job);
            // A new stage may want polls at another pace: the watch starts again with it.
            if (!endsWatch(job) && !samePace(pace, this.pace(job.status))) {
              this.inner.abort();
              break;
            }
            const code = exitCodeForJob(job);
            if (code !== undefined) {
              await this.fetchResults(job);
              if (this.main.signal.aborted) break;
              return this.finish(jobOutcome(job, code));
            }
          }
          if (this.main.signal.aborted) break;
          if (this.inner.signal.aborted) continue;
          // The watch ended without a terminal state: look again.
        } catch (error) {
          if (this.main.signal.aborted) break;
          if (this.inner.signal.aborted) continue;
          const kind = classifyError(error);
          if (kind !== "transient" && kind !== "other") {
            return this.finish({ code: kind === "invalid" ? EXIT.usage : EXIT.api, reason: describeError(error) });
          }
          attempt++;
          const since = this.state.connection.since ?? this.now();
          const limit = this.offlineLimit();
          if (this.now() - since >= limit) {
            return this.finish({
              code: EXIT.api,
              reason: `${offlineFor(this.now() - since)}: ${describeError(error)}`,
            });
          }
          const delay = backoff(attempt);
          this.set({
            connection: {
              status: "retrying",
              since,
              failures: Math.max(this.state.connection.failures, attempt),
              detail: describeError(error),
              retryAt: this.now() + delay,
            },
          });
          await this.sleep(delay);
          this.wake = undefined;
        }
      }
      return this.finish(this.stoppedOutcome());
    } finally {
      if (deadline) clearTimeout(deadline);
    }
  }
}
