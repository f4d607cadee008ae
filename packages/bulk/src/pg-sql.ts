import type { RunProgress } from "./shared-store.js";
import { INPUT_STATES, type InputRecord, type InputState, type JournalEntry } from "./types.js";

/** A `slng_bulk_inputs` row as the queries return it. */
export interface Row {
  key: string;
  state: InputState;
  job_id: string | null;
  rec: Partial<InputRecord>;
}

/** States after which the worker gives its lease up (the poller or nobody needs it). */
const UNLEASED = new Set<InputState>(["queued", "processing", "downloading", "done", "failed"]);

/** The record a row stands for. */
export const toRecord = (r: Row): InputRecord => ({
  ...r.rec,
  key: r.key,
  state: r.state,
  ...(r.job_id ? { jobId: r.job_id } : {}),
});

/** Counts by state from `SELECT state, count(*)` rows. */
export function progressOf(rows: { state: InputState; n: string }[]): RunProgress {
  const counts = Object.fromEntries(INPUT_STATES.map((s) => [s, 0])) as Record<InputState, number>;
  for (const r of rows) if (r.state in counts) counts[r.state] = Number(r.n);
  const total = INPUT_STATES.reduce((a, s) => a + counts[s], 0);
  return { total, counts, unfinished: total - counts.done - counts.failed };
}

/** One write per key (entries of a key merged in order), ready for `jsonb_to_recordset`. */
export function merge(entries: readonly JournalEntry[]) {
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
export const CLAIM_SQL = `
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

/**
 * Where a write `x` may land. A worker's write ($4 false): only on an input this worker ($2)
 * leases. The poller's write ($4 true): only while this worker holds the poller role ($5), on a
 * job in flight that no one leases, never restarting a create there. So a worker's late write for
 * an input it lost (a failure, say) never lands on the job another worker made for it, even while
 * this worker is the poller. Never a job's state (queued … done) on an input without its job id:
 * work that lost its lease and claimed the input again may have had its `uploading` write (which
 * carries the id) dropped.
 */
const WRITABLE = `(CASE WHEN $4::boolean
         THEN $5::boolean AND i.lease_owner IS NULL AND i.state IN ('queued', 'processing') AND x.state IS DISTINCT FROM 'uploading'
         ELSE i.lease_owner = $2 END)
   AND (COALESCE(x.job_id, i.job_id) IS NOT NULL OR x.state IS NULL OR x.state IN ('pending', 'uploading', 'failed'))`;

/**
 * Applies a batch of merged entries of one origin ($4: the poller's), each only where
 * {@link WRITABLE}; returns the keys written.
 * Rows are locked first in key order (as every statement that locks several rows does), so two
 * statements contending for the same rows wait for each other instead of deadlocking.
 */
export const WRITE_SQL = `
WITH x AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(key text, state text, job_id text, patch jsonb, keep boolean)),
     l AS (SELECT i.key FROM slng_bulk_inputs i JOIN x ON x.key = i.key
            WHERE i.run = $1 AND ${WRITABLE}
            ORDER BY i.key FOR UPDATE OF i)
UPDATE slng_bulk_inputs i
   SET state = COALESCE(x.state, i.state),
       job_id = COALESCE(x.job_id, i.job_id),
       rec = i.rec || x.patch,
       lease_owner = CASE WHEN x.keep THEN i.lease_owner END,
       lease_until = CASE WHEN x.keep THEN i.lease_until END,
       updated_at = now()
  FROM x JOIN l ON l.key = x.key
 WHERE i.run = $1 AND i.key = x.key AND ${WRITABLE}
RETURNING i.key`;

/** Extends the leases ($3 s) of keys $4 that worker $2 holds, locking them in key order (see {@link WRITE_SQL}). */
export const RENEW_SQL = `
WITH l AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND lease_owner = $2 AND key = ANY($4::text[])
            ORDER BY key FOR UPDATE)
UPDATE slng_bulk_inputs i SET lease_until = now() + make_interval(secs => $3)
  FROM l
 WHERE i.run = $1 AND i.key = l.key AND i.lease_owner = $2`;

/** Gives up every lease worker $2 holds, locking them in key order (see {@link WRITE_SQL}). */
export const RELEASE_SQL = `
WITH l AS (SELECT key FROM slng_bulk_inputs WHERE run = $1 AND lease_owner = $2 ORDER BY key FOR UPDATE)
UPDATE slng_bulk_inputs i SET lease_owner = NULL, lease_until = NULL
  FROM l
 WHERE i.run = $1 AND i.key = l.key AND i.lease_owner = $2`;

/** A page of a run's inputs in key order: up to $3 after key $2 (keyset paging over the primary key). */
export const PAGE_SQL =
  "SELECT key, state, job_id, rec FROM slng_bulk_inputs WHERE run = $1 AND key > $2 ORDER BY key LIMIT $3";

/** Counts a run's inputs by state. */
export const PROGRESS_SQL = "SELECT state, count(*) AS n FROM slng_bulk_inputs WHERE run = $1 GROUP BY state";
