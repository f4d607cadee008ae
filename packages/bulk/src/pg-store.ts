import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Client, Pool, PoolClient } from "pg";
import { canonicalJson } from "./job-id.js";
import { isConnectionError, openError, redactStoreUrl } from "./pg-errors.js";
import { migrate } from "./pg-schema.js";
import { BulkStoreError, type JoinOptions, type RunProgress, type SharedStore } from "./shared-store.js";
import type { InputRecord, InputState, JournalEntry } from "./types.js";
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

interface Row {
  key: string;
  state: InputState;
  job_id: string | null;
  rec: Partial<InputRecord>;
}

const STATES: InputState[] = ["pending", "uploading", "queued", "processing", "downloading", "done", "failed"];
/** States after which the worker gives its lease up (the poller or nobody needs it). */
const UNLEASED = new Set<InputState>(["queued", "processing", "downloading", "done", "failed"]);

const toRecord = (r: Row): InputRecord => ({
  ...r.rec,
  key: r.key,
  state: r.state,
  ...(r.job_id ? { jobId: r.job_id } : {}),
});

const validRun = (run: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(run);

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
  if (!validRun(o.run))
    throw new BulkStoreError(`--run must be 1-100 letters, digits, dots, dashes or underscores (got "${o.run}")`);
  const owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const leaseMs = o.leaseMs ?? 30_000;
  const where = redactStoreUrl(o.url);
  let pool: Pool | undefined;
  let pollerClient: Client | undefined;
  let holding = false;
  let notice: (m: string) => void = () => {};
  let signal: AbortSignal = new AbortController().signal;
  let paused = false;
  let queue: { entry: JournalEntry; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  let secret: string | undefined;
  try {
    secret = decodeURIComponent(new URL(o.url).password) || undefined;
  } catch {
    throw new BulkStoreError(`the bulk store URL is not a URL; use postgres://user:password@host:port/database`);
  }

  async function db<T>(fn: (p: Pool) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await fn(pool as Pool);
        if (paused) {
          paused = false;
          notice(`the bulk store ${where} is back; resuming`);
        }
        return out;
      } catch (e) {
        if (!isConnectionError(e) || signal.aborted) throw e;
        if (!paused) {
          paused = true;
          notice(
            `the bulk store ${where} is unreachable (${messageOf(e)
              .split(secret ?? "\0")
              .join("***")}); pausing until it is back`,
          );
        }
        await sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)), signal);
      }
    }
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await db((p) => p.query(WRITE_SQL, [o.run, owner, JSON.stringify(merge(batch.map((b) => b.entry)))]));
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
    flushing = undefined;
  }

  async function join(j: JoinOptions): Promise<{ salt: string }> {
    notice = j.notice;
    signal = j.signal;
    const { default: pg } = await import("pg");
    pool = new pg.Pool({
      connectionString: o.url,
      max: 4,
      connectionTimeoutMillis: 10_000,
      options: "-c synchronous_commit=off",
    });
    pool.on("error", () => {});
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      await pool.end().catch(() => {});
      throw openError(o.url, e, secret);
    }
    try {
      await migrate(client);
      const salt = randomBytes(8).toString("hex");
      const settings = canonicalJson(j.settings);
      await client.query(
        "INSERT INTO slng_bulk_runs (name, salt, settings) VALUES ($1, $2, $3::jsonb) ON CONFLICT (name) DO NOTHING",
        [o.run, salt, settings],
      );
      const { rows } = await client.query<{ salt: string; settings: unknown }>(
        "SELECT salt, settings FROM slng_bulk_runs WHERE name = $1",
        [o.run],
      );
      const run = rows[0] as { salt: string; settings: unknown };
      if (canonicalJson(run.settings) !== settings)
        throw new BulkStoreError(
          `the run "${o.run}" in ${where} was started with other settings (${canonicalJson(run.settings)}); give every worker the same options, or another --run name`,
        );
      for (let i = 0; i < j.keys.length; i += 5000)
        await client.query(
          "INSERT INTO slng_bulk_inputs (run, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
          [o.run, j.keys.slice(i, i + 5000)],
        );
      return { salt: run.salt };
    } catch (e) {
      if (e instanceof BulkStoreError) throw e;
      throw openError(o.url, e, secret);
    } finally {
      client.release();
    }
  }

  async function holdPoller(): Promise<boolean> {
    try {
      if (pollerClient && holding) {
        await pollerClient.query("SELECT 1");
        return true;
      }
      if (!pollerClient) {
        const { default: pg } = await import("pg");
        const c = new pg.Client({ connectionString: o.url, connectionTimeoutMillis: 10_000 });
        c.on("error", () => {
          holding = false;
          if (pollerClient === c) pollerClient = undefined;
        });
        await c.connect();
        pollerClient = c;
      }
      const { rows } = await pollerClient.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [`slng-bulk-poller:${o.run}`],
      );
      holding = rows[0]?.ok === true;
      return holding;
    } catch {
      holding = false;
      const c = pollerClient;
      pollerClient = undefined;
      await c?.end().catch(() => {});
      return false;
    }
  }

  return {
    kind: "shared",
    run: o.run,
    leaseMs,
    join,
    holdPoller,
    async load() {
      throw new BulkStoreError("a shared run is joined with join(), not load()");
    },
    append(entry) {
      return new Promise<void>((done, fail) => {
        queue.push({ entry, done, fail });
        flushing ??= Promise.resolve().then(flush);
      });
    },
    async claim(room) {
      if (room.downloads <= 0 && room.creates <= 0) return [];
      const args = [o.run, owner, leaseMs / 1000, Math.max(0, room.downloads), Math.max(0, room.creates)];
      const { rows } = await db((p) => p.query<Row>(CLAIM_SQL, args));
      return rows.map(toRecord);
    },
    async renew(keys) {
      if (keys.length === 0) return;
      await db((p) =>
        p.query(
          "UPDATE slng_bulk_inputs SET lease_until = now() + make_interval(secs => $3) WHERE run = $1 AND lease_owner = $2 AND key = ANY($4::text[])",
          [o.run, owner, leaseMs / 1000, keys],
        ),
      );
    },
    async release() {
      await pool?.query(
        "UPDATE slng_bulk_inputs SET lease_owner = NULL, lease_until = NULL WHERE run = $1 AND lease_owner = $2",
        [o.run, owner],
      );
    },
    async outstanding() {
      const { rows } = await db((p) =>
        p.query<Row>(
          "SELECT key, state, job_id, rec FROM slng_bulk_inputs WHERE run = $1 AND state IN ('queued', 'processing') AND job_id IS NOT NULL AND lease_owner IS NULL",
          [o.run],
        ),
      );
      return rows.map(toRecord);
    },
    async records() {
      const { rows } = await db((p) =>
        p.query<Row>("SELECT key, state, job_id, rec FROM slng_bulk_inputs WHERE run = $1 ORDER BY key", [o.run]),
      );
      return rows.map(toRecord);
    },
    async progress() {
      const { rows } = await db((p) =>
        p.query<{ state: InputState; n: string }>(
          "SELECT state, count(*) AS n FROM slng_bulk_inputs WHERE run = $1 GROUP BY state",
          [o.run],
        ),
      );
      return progressOf(rows);
    },
    async close() {
      while (flushing) await flushing;
      const c = pollerClient;
      pollerClient = undefined;
      holding = false;
      await c?.end().catch(() => {});
      await pool?.end().catch(() => {});
      pool = undefined;
    },
  };
}

function progressOf(rows: { state: InputState; n: string }[]): RunProgress {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<InputState, number>;
  for (const r of rows) if (r.state in counts) counts[r.state] = Number(r.n);
  const total = STATES.reduce((a, s) => a + counts[s], 0);
  return { total, counts, unfinished: total - counts.done - counts.failed };
}

/** One write per key (entries of a key merged in order), ready for `jsonb_to_recordset`. */
function merge(entries: readonly JournalEntry[]) {
  const byKey = new Map<string, JournalEntry>();
  for (const e of entries) byKey.set(e.key, { ...byKey.get(e.key), ...e });
  return [...byKey.values()].map(({ key, state, jobId, ...patch }) => ({
    key,
    state: state ?? null,
    job_id: jobId ?? null,
    patch,
    keep: state === undefined || !UNLEASED.has(state),
  }));
}

/** Claims up to $4 downloads and up to $5 creates (resumed ones first); each part served by the (run, state, key) index. */
const CLAIM_SQL = `
WITH d AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND state = 'downloading' AND (lease_until IS NULL OR lease_until < now())
            ORDER BY key LIMIT $4 FOR UPDATE SKIP LOCKED),
     u AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND state = 'uploading' AND (lease_until IS NULL OR lease_until < now())
            ORDER BY key LIMIT $5 FOR UPDATE SKIP LOCKED),
     p AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND state = 'pending' AND (lease_until IS NULL OR lease_until < now())
            ORDER BY key LIMIT $5 FOR UPDATE SKIP LOCKED),
     c AS (SELECT key FROM d
           UNION ALL
           SELECT key FROM (SELECT key, 1 AS o FROM u UNION ALL SELECT key, 2 FROM p ORDER BY o LIMIT $5) x)
UPDATE slng_bulk_inputs i
   SET lease_owner = $2, lease_until = now() + make_interval(secs => $3), updated_at = now()
  FROM c
 WHERE i.run = $1 AND i.key = c.key
RETURNING i.key, i.state, i.job_id, i.rec`;

const WRITE_SQL = `
UPDATE slng_bulk_inputs i
   SET state = COALESCE(x.state, i.state),
       job_id = COALESCE(x.job_id, i.job_id),
       rec = i.rec || x.patch,
       lease_owner = CASE WHEN x.keep THEN i.lease_owner END,
       lease_until = CASE WHEN x.keep THEN i.lease_until END,
       updated_at = now()
  FROM jsonb_to_recordset($3::jsonb) AS x(key text, state text, job_id text, patch jsonb, keep boolean)
 WHERE i.run = $1 AND i.key = x.key
   AND (i.lease_owner = $2 OR (i.lease_owner IS NULL AND i.state IN ('queued', 'processing')))`;

/**
 * Reads a run's progress without joining it (`slng-batch bulk --status`). Throws
 * {@link BulkStoreError} when the store cannot be opened or has no such run.
 */
export async function readRunProgress(url: string, run: string): Promise<RunProgress> {
  let secret: string | undefined;
  try {
    secret = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    throw new BulkStoreError("the bulk store URL is not a URL; use postgres://user:password@host:port/database");
  }
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
    const { rows } = await client.query<{ state: InputState; n: string }>(
      "SELECT state, count(*) AS n FROM slng_bulk_inputs WHERE run = $1 GROUP BY state",
      [run],
    );
    return progressOf(rows);
  } catch (e) {
    if (e instanceof BulkStoreError) throw e;
    throw openError(url, e, secret);
  } finally {
    await client.end().catch(() => {});
  }
}
