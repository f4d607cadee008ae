import type { PoolClient } from "pg";

/**
 * The schema's migrations, in order; the version stored in `slng_bulk_meta` is the number of
 * them applied. Append new ones, never edit an applied one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE slng_bulk_runs (
     name text PRIMARY KEY,
     salt text NOT NULL,
     settings jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE slng_bulk_inputs (
     run text NOT NULL REFERENCES slng_bulk_runs (name) ON DELETE CASCADE,
     key text NOT NULL,
     state text NOT NULL DEFAULT 'pending',
     job_id text,
     lease_owner text,
     lease_until timestamptz,
     rec jsonb NOT NULL DEFAULT '{}'::jsonb,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (run, key)
   );
   CREATE INDEX slng_bulk_inputs_state ON slng_bulk_inputs (run, state, key);`,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates or upgrades the schema in one transaction under an advisory lock, so workers starting
 * together migrate once. Refuses a database migrated by a newer build.
 */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('slng_bulk_schema', 0))");
    await client.query(
      "CREATE TABLE IF NOT EXISTS slng_bulk_meta (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), version int NOT NULL)",
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM slng_bulk_meta");
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION)
      throw new Error(`the store's schema is version ${version}, newer than this tool's ${SCHEMA_VERSION}; upgrade`);
    for (let v = version; v < SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v] as string);
    if (version === 0) await client.query("INSERT INTO slng_bulk_meta (version) VALUES ($1)", [SCHEMA_VERSION]);
    else if (version < SCHEMA_VERSION) await client.query("UPDATE slng_bulk_meta SET version = $1", [SCHEMA_VERSION]);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}
