import postgres from "pg";
import { describe, expect, inject, it } from "vitest";
import { openPgStore } from "./pg-store.js";

const pg = inject("pg");
let runs = 0;
const runName = () => `l${process.pid}-${++runs}-${Math.random().toString(36).slice(2, 6)}`;
const joinOf = (keys: string[]) => ({
  settings: { formats: ["txt"] },
  keys,
  notice: () => {},
  signal: new AbortController().signal,
});

/** Resolves once `count` backends wait, directly or behind one another, for a lock the backend `pid` holds. */
async function blockedBy(db: postgres.Client, pid: number, count: number): Promise<void> {
  const sql = `WITH RECURSIVE b(pid) AS (SELECT $1::int UNION
                 SELECT a.pid FROM pg_stat_activity a, b WHERE b.pid = ANY(pg_blocking_pids(a.pid)))
               SELECT count(*)::int - 1 AS n FROM b`;
  while ((await db.query<{ n: number }>(sql, [pid])).rows[0]?.n !== count) await new Promise((r) => setTimeout(r, 10));
}

describe("shared-run leases under contention", () => {
  it("a grouped write and a renewal of the same leases, running at once, never deadlock (rows are locked in one order)", async () => {
    const run = runName();
    const a = openPgStore({ url: pg.url, run, owner: "worker-a", leaseMs: 60_000 });
    const holder = new postgres.Client({ connectionString: pg.url });
    const watcher = new postgres.Client({ connectionString: pg.url });
    try {
      await a.join(joinOf(["k1", "k2"]));
      await holder.connect();
      await watcher.connect();
      expect((await a.claim({ downloads: 0, creates: 2 })).map((r) => r.key)).toEqual(["k1", "k2"]);
      const pid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid as number;
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM slng_bulk_inputs WHERE run = $1 AND key = 'k1' FOR UPDATE", [run]);
      const renewed = a.renew(["k1", "k2"]);
      const written = [
        a.append({ key: "k2", state: "queued", jobId: "job-2" }),
        a.append({ key: "k1", state: "queued", jobId: "job-1" }),
      ];
      await blockedBy(watcher, pid, 2);
      await holder.query("COMMIT");
      await Promise.all([renewed, ...written]);
      const records = await a.records();
      expect(records.map((r) => [r.key, r.state, r.jobId])).toEqual([
        ["k1", "queued", "job-1"],
        ["k2", "queued", "job-2"],
      ]);
    } finally {
      await holder.end().catch(() => {});
      await watcher.end().catch(() => {});
      await a.close();
    }
  });
});
