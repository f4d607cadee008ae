import { randomBytes } from "node:crypto";
import type { PoolClient } from "pg";
import { canonicalJson } from "./job-id.js";
import { BulkStoreError } from "./shared-store.js";

/**
 * Inputs that failed because an output path was not bulk's to write are checked again by each
 * worker that joins (as a rerun of a one-process run does): back to `pending`, or to
 * `downloading` when their job exists. Rows are locked in key order, as by every statement of the store.
 */
const RECHECK_SQL = `
WITH l AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND state = 'failed' AND rec->>'outputConflict' = 'true'
              AND (lease_until IS NULL OR lease_until < now())
            ORDER BY key FOR UPDATE)
UPDATE slng_bulk_inputs i
   SET state = CASE WHEN job_id IS NULL THEN 'pending' ELSE 'downloading' END,
       rec = rec - 'outputConflict' - 'error', updated_at = now()
  FROM l
 WHERE i.run = $1 AND i.key = l.key AND i.state = 'failed' AND i.rec->>'outputConflict' = 'true'`;

/**
 * `--retry-failed`: puts every failed input of the run (but those failed on an output conflict,
 * which {@link RECHECK_SQL} handles) back to `pending` in one statement, each once: one whose
 * job exists gets the next attempt (so a new job id, as in a journal run), one without a job
 * keeps its attempt. It keeps its content identity and the output paths it owns; the rest of its
 * record (job, error, timings) goes. Returns the keys put back.
 */
const RETRY_FAILED_SQL = `
WITH l AS (SELECT key FROM slng_bulk_inputs
            WHERE run = $1 AND state = 'failed' AND (rec->>'outputConflict') IS DISTINCT FROM 'true'
            ORDER BY key FOR UPDATE)
UPDATE slng_bulk_inputs i
   SET state = 'pending', job_id = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now(),
       rec = jsonb_strip_nulls(jsonb_build_object(
         'sha256', i.rec->'sha256', 'size', i.rec->'size', 'mtimeMs', i.rec->'mtimeMs',
         'attempt', CASE WHEN i.job_id IS NULL THEN i.rec->'attempt'
                         ELSE to_jsonb(COALESCE((i.rec->>'attempt')::int, 0) + 1) END,
         'claimed', (SELECT jsonb_agg(DISTINCT f)
                       FROM jsonb_array_elements(COALESCE(i.rec->'saved', '[]') || COALESCE(i.rec->'claimed', '[]')) f)))
  FROM l
 WHERE i.run = $1 AND i.key = l.key AND i.state = 'failed'
RETURNING i.key`;

/**
 * Creates the run's row once (a fresh salt and the settings) or finds it, refuses a worker whose
 * settings differ, adds a row for each of `keys` the run does not have yet (5,000 a
 * statement), puts inputs failed on an output conflict up for a new check and, with
 * `retryFailed`, the other failed inputs up for a new attempt ({@link RETRY_FAILED_SQL}).
 * Returns the run's salt and the keys put back for a new attempt.
 */
export async function joinRun(
  client: PoolClient,
  o: { run: string; where: string; settings: unknown; keys: readonly string[]; retryFailed?: boolean },
): Promise<{ salt: string; retried: string[] }> {
  const settings = canonicalJson(o.settings);
  await client.query(
    "INSERT INTO slng_bulk_runs (name, salt, settings) VALUES ($1, $2, $3::jsonb) ON CONFLICT (name) DO NOTHING",
    [o.run, randomBytes(8).toString("hex"), settings],
  );
  const { rows } = await client.query<{ salt: string; settings: unknown }>(
    "SELECT salt, settings FROM slng_bulk_runs WHERE name = $1",
    [o.run],
  );
  const run = rows[0] as { salt: string; settings: unknown };
  if (canonicalJson(run.settings) !== settings)
    throw new BulkStoreError(
      `the run "${o.run}" in ${o.where} was started with other settings (${canonicalJson(run.settings)}); give every worker the same options, or another --run name`,
    );
  for (let i = 0; i < o.keys.length; i += 5000)
    await client.query("INSERT INTO slng_bulk_inputs (run, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", [
      o.run,
      o.keys.slice(i, i + 5000),
    ]);
  await client.query(RECHECK_SQL, [o.run]);
  const retried = o.retryFailed ? (await client.query<{ key: string }>(RETRY_FAILED_SQL, [o.run])).rows : [];
  return { salt: run.salt, retried: retried.map((r) => r.key) };
}
