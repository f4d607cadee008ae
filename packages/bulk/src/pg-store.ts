import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Pool, PoolClient } from "pg";
import { isConnectionError, isLockConflict, openError, redactStoreUrl } from "./pg-errors.js";
import { joinRun } from "./pg-join.js";
import { PollerLock } from "./pg-poller-lock.js";
import { migrate } from "./pg-schema.js";
import {
  CLAIM_SQL,
  merge,
  PAGE_SQL,
  PROGRESS_SQL,
  progressOf,
  RELEASE_SQL,
  RENEW_SQL,
  type Row,
  toRecord,
  WRITE_SQL,
} from "./pg-sql.js";
import {
  BulkStoreError,
  type JoinOptions,
  LeaseLostError,
  type RunProgress,
  type SharedStore,
} from "./shared-store.js";
import type { InputRecord, InputState, JournalEntry, WriteOrigin } from "./types.js";
import { messageOf, sleep } from "./util.js";

/** Options of {@link openPgStore}. */
export interface PgStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** The run's name: every worker given the same name shares the run. */
  run: string;
  /** Lease length; default 30 000 ms (renewed every third of it while working). */
  leaseMs?: number;
  /** This worker's name in leases; default host:pid:random. */
  owner?: string;
}

const validRun = (run: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(run);

/** The password in a store URL (to keep it out of every message); throws on a URL that is not one. */
function secretOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    throw new BulkStoreError("the bulk store URL is not a URL; use postgres://user:password@host:port/database");
  }
}

/** Records read per query by {@link PgStore.eachRecord}. */
const RECORDS_PAGE = 1000;

type Pending = { entry: JournalEntry; origin: WriteOrigin; done: () => void; fail: (e: unknown) => void };

/** See {@link openPgStore}. */
class PgStore implements SharedStore {
  readonly kind = "shared" as const;
  readonly run: string;
  readonly leaseMs: number;
  private readonly owner: string;
  private readonly where: string;
  private readonly secret: string | undefined;
  private readonly poller: PollerLock;
  private pool: Pool | undefined;
  private notice: (m: string) => void = () => {};
  private signal: AbortSignal = new AbortController().signal;
  private paused = false;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly o: PgStoreOptions) {
    if (!validRun(o.run))
      throw new BulkStoreError(`--run must be 1-100 letters, digits, dots, dashes or underscores (got "${o.run}")`);
    this.run = o.run;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.where = redactStoreUrl(o.url);
    this.secret = secretOf(o.url);
    this.poller = new PollerLock(o.url, o.run);
  }

  /**
   * Runs `fn` on the pool; while the database is unreachable, waits and retries (saying so once).
   * A statement the server aborted to break a lock conflict is run again (a few times, at once).
   */
  private async db<T>(fn: (p: Pool) => Promise<T>): Promise<T> {
    for (let attempt = 0, conflicts = 0; ; attempt++) {
      try {
        const out = await fn(this.pool as Pool);
        if (this.paused) {
          this.paused = false;
          this.notice(`the bulk store ${this.where} is back; resuming`);
        }
        return out;
      } catch (e) {
        if (isLockConflict(e) && ++conflicts <= 5 && !this.signal.aborted) continue;
        if (!isConnectionError(e) || this.signal.aborted) throw e;
        if (!this.paused) {
          this.paused = true;
          const why = messageOf(e)
            .split(this.secret ?? "\0")
            .join("***");
          this.notice(`the bulk store ${this.where} is unreachable (${why}); pausing until it is back`);
        }
        await sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)), this.signal);
      }
    }
  }

  async join(j: JoinOptions): Promise<{ salt: string; retried: string[] }> {
    this.notice = j.notice;
    this.signal = j.signal;
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({
      connectionString: this.o.url,
      max: 4,
      connectionTimeoutMillis: 10_000,
      options: "-c synchronous_commit=off",
    });
    pool.on("error", () => {});
    this.pool = pool;
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      await pool.end().catch(() => {});
      this.pool = undefined;
      throw openError(this.o.url, e, this.secret);
    }
    try {
      await migrate(client);
      return await joinRun(client, {
        run: this.run,
        where: this.where,
        settings: j.settings,
        keys: j.keys,
        retryFailed: j.retryFailed === true,
      });
    } catch (e) {
      throw e instanceof BulkStoreError ? e : openError(this.o.url, e, this.secret);
    } finally {
      client.release();
    }
  }

  holdPoller(): Promise<boolean> {
    return this.poller.hold();
  }

  async load(): Promise<{ salt: string; records: Map<string, InputRecord> }> {
    throw new BulkStoreError("a shared run is joined with join(), not load()");
  }

  append(entry: JournalEntry, origin: WriteOrigin = "worker"): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.queue.push({ entry, origin, done, fail });
      this.flushing ??= Promise.resolve().then(() => this.flush());
    });
  }

  /**
   * Writes the entries waiting, in order, one guarded statement per run of entries of the same
   * origin; resolves or rejects each entry's promise. A claim of output paths for an input this
   * worker no longer leases rejects with {@link LeaseLostError} (the claim must be recorded
   * before anything is written).
   */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const origin = this.queue[0]?.origin;
      const end = this.queue.findIndex((b) => b.origin !== origin);
      const batch = end < 0 ? this.queue : this.queue.slice(0, end);
      this.queue = end < 0 ? [] : this.queue.slice(end);
      const rows = JSON.stringify(merge(batch.map((b) => b.entry)));
      const polled = origin === "poller";
      try {
        const { rows: written } = await this.db((p) =>
          p.query<{ key: string }>(WRITE_SQL, [this.run, this.owner, rows, polled, polled && this.poller.held]),
        );
        const landed = new Set(written.map((r) => r.key));
        for (const b of batch) {
          if (!b.entry.claimed || landed.has(b.entry.key)) b.done();
          else
            b.fail(new LeaseLostError(`${b.entry.key} was taken over by another worker (this worker's lease lapsed)`));
        }
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
    this.flushing = undefined;
  }

  async claim(room: { downloads: number; creates: number }): Promise<InputRecord[]> {
    if (room.downloads <= 0 && room.creates <= 0) return [];
    const lease = this.leaseMs / 1000;
    const args = [this.run, this.owner, lease, Math.max(0, room.downloads), Math.max(0, room.creates)];
    const { rows } = await this.db((p) => p.query<Row>(CLAIM_SQL, args));
    return rows.map(toRecord);
  }

  async renew(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db((p) => p.query(RENEW_SQL, [this.run, this.owner, this.leaseMs / 1000, keys]));
  }

  async release(): Promise<void> {
    await this.pool?.query(RELEASE_SQL, [this.run, this.owner]);
  }

  async outstanding(): Promise<InputRecord[]> {
    const sql =
      "SELECT key, state, job_id, rec FROM slng_bulk_inputs WHERE run = $1 AND state IN ('queued', 'processing') AND job_id IS NOT NULL AND lease_owner IS NULL";
    const { rows } = await this.db((p) => p.query<Row>(sql, [this.run]));
    return rows.map(toRecord);
  }

  async records(): Promise<InputRecord[]> {
    const all: InputRecord[] = [];
    for await (const rec of this.eachRecord()) all.push(rec);
    return all;
  }

  async *eachRecord(): AsyncGenerator<InputRecord> {
    let after = "";
    for (;;) {
      const { rows } = await this.db((p) => p.query<Row>(PAGE_SQL, [this.run, after, RECORDS_PAGE]));
      for (const row of rows) yield toRecord(row);
      if (rows.length < RECORDS_PAGE) return;
      after = (rows[rows.length - 1] as Row).key;
    }
  }

  async progress(): Promise<RunProgress> {
    const { rows } = await this.db((p) => p.query<{ state: InputState; n: string }>(PROGRESS_SQL, [this.run]));
    return progressOf(rows);
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.poller.close();
    await this.pool?.end().catch(() => {});
    this.pool = undefined;
  }
}

/**
 * A {@link SharedStore} in PostgreSQL (node-postgres, no queue library): a `slng_bulk_runs` row
 * per run (salt and settings, created once) and a `slng_bulk_inputs` row per input (state, job
 * id, lease owner and expiry, the rest of the record as JSON), in a versioned schema the store
 * creates and migrates. Claims take small batches with `FOR UPDATE SKIP LOCKED`; writes are
 * grouped into one `UPDATE … FROM jsonb_to_recordset` guarded by ownership; the poller role is a
 * session advisory lock, so it passes to another worker when its holder dies. While the database
 * is unreachable every call waits and retries (saying so once), so workers pause and resume.
 * Commits are asynchronous (`synchronous_commit=off`, one fsync per group instead of per
 * write): a database crash may forget the last moments' states, which the next claim redoes
 * through the resume path (the create refused as in use, the job adopted; a download saved again).
 */
export function openPgStore(o: PgStoreOptions): SharedStore {
  return new PgStore(o);
}

/**
 * Reads a run's progress without joining it (`slng-batch bulk --status`). Throws
 * {@link BulkStoreError} when the store cannot be opened or has no such run.
 */
export async function readRunProgress(url: string, run: string): Promise<RunProgress> {
  const secret = secretOf(url);
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (e) {
    throw openError(url, e, secret);
  }
  try {
    const found = await client
      .query("SELECT 1 FROM slng_bulk_runs WHERE name = $1", [run])
      .catch((e) => (e.code === "42P01" ? { rowCount: 0 } : Promise.reject(e)));
    if (!found.rowCount) throw new BulkStoreError(`there is no run named "${run}" in ${redactStoreUrl(url)}`);
    const { rows } = await client.query<{ state: InputState; n: string }>(PROGRESS_SQL, [run]);
    return progressOf(rows);
  } catch (e) {
    if (e instanceof BulkStoreError) throw e;
    throw openError(url, e, secret);
  } finally {
    await client.end().catch(() => {});
  }
}
