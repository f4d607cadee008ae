import type { BatchJob, JobSortField, JobStatus, SortOrder } from "@slng/types";
import type { JobsApi } from "./api.js";
import { describeError } from "./errors.js";

/** The server-side part of a scan: what the list endpoint filters and sorts by. */
export interface ScanQuery {
  status?: JobStatus[] | undefined;
  sortBy: JobSortField;
  sortOrder: SortOrder;
}

/** Options of {@link JobScan}. */
export interface JobScanOptions {
  /** Jobs read per step before the scan pauses and asks for `more()` (default 1000). */
  cap?: number;
  /** Jobs per request (default 100, the API's maximum). */
  pageSize?: number;
}

/** What a scan has read so far. */
export interface ScanSnapshot {
  /** Every distinct job read, in the server's order. */
  jobs: BatchJob[];
  /** Jobs the server reported for the query at the last page read (undefined before the first). */
  total: number | undefined;
  /** A request is in flight. */
  running: boolean;
  /** Every page has been read. */
  complete: boolean;
  /** `start()` has been called. */
  started: boolean;
  /** Stopped at the cap (or by `stop()`) before the end; `more()` continues. */
  paused: boolean;
  /** List requests made by this scan. */
  requests: number;
  error?: string | undefined;
}

/**
 * Reads the job list page by page (sequentially, one request at a time, 100 jobs a page) so the
 * dashboard's `/` search can look at every job, not just the page on screen: the API cannot
 * filter by id fragment or title. Stops after `cap` jobs until {@link JobScan.more} is called,
 * and is cancelled with {@link JobScan.stop} (the request in flight is aborted). Jobs that move
 * between pages while the scan runs (new submissions) are read once.
 */
export class JobScan {
  private readonly cap: number;
  private readonly pageSize: number;
  private readonly seen = new Map<string, number>();
  private list: BatchJob[] = [];
  private nextPage = 1;
  private limit: number;
  private total: number | undefined;
  private requests = 0;
  private complete = false;
  private started = false;
  private error: string | undefined;
  private abort: AbortController | undefined;
  private refreshAbort: AbortController | undefined;
  private listeners = new Set<() => void>();
  private snap: ScanSnapshot;

  constructor(
    private readonly api: JobsApi,
    readonly query: ScanQuery,
    options: JobScanOptions = {},
  ) {
    this.cap = Math.max(1, options.cap ?? 1000);
    this.pageSize = Math.min(100, Math.max(1, options.pageSize ?? 100));
    this.limit = this.cap;
    this.snap = this.makeSnapshot();
  }

  /** The current state (a new object after every change, so it can be compared by identity). */
  snapshot(): ScanSnapshot {
    return this.snap;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or resumes) reading until the cap or the last page. */
  start(): void {
    if (this.abort || this.complete || this.list.length >= this.limit) return;
    const abort = new AbortController();
    this.abort = abort;
    this.started = true;
    this.error = undefined;
    this.changed();
    void this.run(abort);
  }

  /** Reads `cap` more jobs after a pause. */
  more(): void {
    if (this.complete) return;
    this.limit = Math.max(this.limit, this.list.length) + this.cap;
    this.start();
  }

  /**
   * Re-reads a finished scan that fit in one request, so the statuses of the matches stay live
   * at the cost of one request; a larger scan stays a snapshot (re-read it with a new scan).
   * If the list has grown past one page meanwhile, the scan goes on from page 2 up to its cap.
   */
  async refresh(): Promise<void> {
    if (!this.complete || this.nextPage !== 2 || this.abort || this.refreshAbort) return;
    const abort = new AbortController();
    this.refreshAbort = abort;
    try {
      const result = await this.api.listPage({ ...this.listQuery(1), signal: abort.signal });
      if (abort.signal.aborted) return;
      this.requests++;
      this.list = [];
      this.seen.clear();
      this.add(result.items);
      this.total = result.meta.total;
      if (result.meta.pages > 1 && result.items.length > 0) {
        this.complete = false;
        this.start();
      } else this.changed();
    } catch {
      // The next refresh tries again; the dashboard's own refresh reports connection errors.
    } finally {
      if (this.refreshAbort === abort) this.refreshAbort = undefined;
    }
  }

  /** Stops reading (aborting the request in flight); what was read stays. */
  stop(): void {
    this.refreshAbort?.abort();
    this.refreshAbort = undefined;
    if (!this.abort) return;
    this.abort.abort();
    this.abort = undefined;
    this.limit = this.list.length;
    this.changed();
  }

  /** Drops a job (e.g. after deleting it). */
  remove(jobId: string): void {
    if (!this.seen.has(jobId)) return;
    this.list = this.list.filter((j) => j.job_id !== jobId);
    this.seen.clear();
    for (const [i, j] of this.list.entries()) this.seen.set(j.job_id, i);
    if (this.total !== undefined) this.total = Math.max(0, this.total - 1);
    this.changed();
  }

  private async run(abort: AbortController): Promise<void> {
    const { signal } = abort;
    try {
      while (!signal.aborted && !this.complete && this.list.length < this.limit) {
        const result = await this.api.listPage({ ...this.listQuery(this.nextPage), signal });
        if (signal.aborted) return;
        this.requests++;
        this.add(result.items);
        this.total = result.meta.total;
        if (this.nextPage >= result.meta.pages || result.items.length === 0) this.complete = true;
        this.nextPage++;
        this.changed();
      }
    } catch (e) {
      if (!signal.aborted) this.error = describeError(e);
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.changed();
      }
    }
  }

  private listQuery(page: number) {
    return {
      page,
      pageSize: this.pageSize,
      ...(this.query.status ? { status: this.query.status } : {}),
      sortBy: this.query.sortBy,
      sortOrder: this.query.sortOrder,
    };
  }

  private add(items: BatchJob[]): void {
    for (const job of items) {
      const at = this.seen.get(job.job_id);
      if (at === undefined) {
        this.seen.set(job.job_id, this.list.length);
        this.list.push(job);
      } else {
        // Read again because newer jobs pushed it down a page: keep the fresher copy.
        this.list[at] = job;
      }
    }
  }

  private makeSnapshot(): ScanSnapshot {
    const running = this.abort !== undefined;
    return {
      jobs: this.list,
      total: this.total,
      running,
      complete: this.complete,
      started: this.started,
      paused: this.started && !running && !this.complete && this.error === undefined,
      requests: this.requests,
      error: this.error,
    };
  }

  private changed(): void {
    this.list = [...this.list];
    this.snap = this.makeSnapshot();
    for (const l of this.listeners) l();
  }
}
