import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import postgres from "pg";
import { describe, expect, inject, it } from "vitest";
import type { BulkOptions } from "./options.js";
import { openPgStore } from "./pg-store.js";
import { REPORT_FILE } from "./report.js";
import {
  allJobs,
  creates,
  type Harness,
  harnessPerTest,
  sharedWorker,
  uniqueRunName,
  writeRecordings,
} from "./test-support.js";

const pg = inject("pg");
const runName = () => uniqueRunName("l");
const joinOf = (keys: string[]) => ({
  settings: { formats: ["txt"] },
  keys,
  notice: () => {},
  signal: new AbortController().signal,
});

const start = harnessPerTest();
const until = async (ok: () => Promise<boolean> | boolean) => {
  while (!(await ok())) await new Promise((r) => setTimeout(r, 10));
};
/** A gate a test opens: `wait` resolves once `open()` was called. */
const gate = () => {
  let open!: () => void;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
};

const worker = (h: Harness, run: string, extra: Partial<BulkOptions> = {}) => sharedWorker(h, pg.url, run, extra);

/** Temporary files of outputs being written anywhere under `<dir>/out`. */
const temps = async (h: Harness) =>
  (await readdir(join(h.dir, "out"), { recursive: true })).filter((n) => n.includes(".tmp-"));

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

  it("a write never gives an input a job's state without its job id, nor restarts a create on a job in flight", async () => {
    const run = runName();
    const a = openPgStore({ url: pg.url, run, owner: "worker-a", leaseMs: 60_000 });
    const state = async (key: string) => (await a.records()).find((r) => r.key === key);
    try {
      await a.join(joinOf(["k1", "k2"]));
      await a.claim({ downloads: 0, creates: 2 });
      await a.append({ key: "k1", state: "queued" });
      await a.append({ key: "k1", state: "downloading", audioSeconds: 1 });
      expect(await state("k1")).toEqual({ key: "k1", state: "pending" });
      await a.append({ key: "k2", state: "uploading", jobId: "job2" });
      await a.append({ key: "k2", state: "queued" });
      expect(await state("k2")).toMatchObject({ state: "queued", jobId: "job2" });
      expect(await a.holdPoller()).toBe(true);
      await a.append({ key: "k2", state: "uploading", createdAt: 1 }, "poller");
      expect(await state("k2")).toMatchObject({ state: "queued", jobId: "job2" });
      await a.append({ key: "k2", state: "downloading", audioSeconds: 2 }, "poller");
      expect(await state("k2")).toMatchObject({ state: "downloading", jobId: "job2", audioSeconds: 2 });
    } finally {
      await a.close();
    }
  });

  it("only the run's poller writes to a job in flight that no one leases: a late failure from a worker that lost the input is refused, even while that worker is the poller", async () => {
    const run = runName();
    const a = openPgStore({ url: pg.url, run, owner: "worker-a", leaseMs: 60_000 });
    const state = async () => (await a.records())[0];
    try {
      await a.join(joinOf(["k1"]));
      await a.claim({ downloads: 0, creates: 1 });
      await a.append({ key: "k1", state: "uploading", jobId: "job1" });
      await a.append({ key: "k1", state: "queued" });
      await a.append({ key: "k1", state: "failed", error: "could not create the job", cause: "job" });
      expect(await state()).toMatchObject({ state: "queued", jobId: "job1" });
      expect(await a.holdPoller()).toBe(true);
      await a.append({ key: "k1", state: "failed", error: "could not create the job", cause: "job" });
      expect(await state()).toMatchObject({ state: "queued", jobId: "job1" });
      await a.append({ key: "k1", state: "processing", audioSeconds: 3 }, "poller");
      expect(await state()).toMatchObject({ state: "processing", jobId: "job1", audioSeconds: 3 });
      expect((await state())?.error).toBeUndefined();
    } finally {
      await a.close();
    }
  });

  it("a create whose 'uploading' write was lost to a takeover, claimed back by its worker, never leaves a job state without the job id", async () => {
    const h = await start();
    await mkdir(join(h.dir, "in"), { recursive: true });
    await writeFile(join(h.dir, "in", "a.wav"), createSampleWav({ seconds: 0.3, seed: 1 }));
    const run = runName();
    const post = gate();
    let posts = 0;
    h.intercept = async (_req, seen) => {
      if (seen.method === "POST" && ++posts === 1) await post.wait;
      return undefined;
    };
    const db = new postgres.Client({ connectionString: pg.url });
    await db.connect();
    const stop = new AbortController();
    const row = async () =>
      (await db.query("SELECT state, job_id, lease_owner FROM slng_bulk_inputs WHERE run = $1", [run])).rows[0];
    try {
      const a = worker(h, run, { concurrency: 2, signal: stop.signal });
      await until(async () => posts === 1 && (await row())?.job_id !== null);
      await db.query(
        "UPDATE slng_bulk_inputs SET state = 'pending', job_id = NULL, rec = '{}', lease_owner = 'other', lease_until = now() - interval '1 second' WHERE run = $1",
        [run],
      );
      await until(async () => !["other", null].includes((await row())?.lease_owner));
      post.open();
      let jobless: unknown;
      let finished = false;
      const watching = until(async () => {
        const r = await row();
        if (r?.state !== "pending" && r?.state !== "uploading" && r?.job_id === null) jobless = r;
        return finished || jobless !== undefined;
      });
      await Promise.race([a, watching]);
      stop.abort();
      finished = true;
      await watching;
      const { summary } = await a;
      expect(jobless).toBeUndefined();
      expect(summary.counts).toMatchObject({ done: 1, failed: 0 });
      expect((await allJobs(h)).jobs).toHaveLength(1);
    } finally {
      post.open();
      stop.abort();
      await db.end();
    }
  });

  it("a worker whose lease lapsed mid-download never removes the temporary file of the worker that took the input over", async () => {
    const h = await start();
    await mkdir(join(h.dir, "in"), { recursive: true });
    await writeFile(join(h.dir, "in", "a.wav"), createSampleWav({ seconds: 0.3, seed: 1 }));
    const run = runName();
    const staleFiles = gate();
    const midBody = gate();
    let files = 0;
    let storage = 0;
    h.intercept = async (req, seen) => {
      if (seen.method === "GET" && seen.path.endsWith("/files") && ++files === 1) await staleFiles.wait;
      if (seen.method !== "GET" || !seen.path.startsWith("/storage") || ++storage !== 1) return undefined;
      const bytes = new Uint8Array(await (await h.emu.fetch(req)).arrayBuffer());
      const half = Math.floor(bytes.length / 2);
      const body = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(bytes.slice(0, half));
          await midBody.wait;
          c.enqueue(bytes.slice(half));
          c.close();
        },
      });
      return new Response(body, { headers: { "content-length": String(bytes.length) } });
    };
    const db = new postgres.Client({ connectionString: pg.url });
    await db.connect();
    try {
      const a = worker(h, run, { concurrency: 1 });
      await until(() => files === 1);
      await db.query(
        "UPDATE slng_bulk_inputs SET lease_owner = 'lapsed', lease_until = now() - interval '1 second' WHERE run = $1",
        [run],
      );
      const b = worker(h, run);
      await until(async () => (await temps(h).catch(() => [])).length === 1);
      staleFiles.open();
      await until(() => readdir(join(h.dir, "out")).then((n) => n.includes("a.txt")));
      midBody.open();
      const [sa, sb] = await Promise.all([a, b]);
      expect(sb.summary.failed).toEqual([]);
      expect(sb.summary.counts).toMatchObject({ done: 1, failed: 0 });
      expect(sa.summary.counts).toMatchObject({ done: 1, failed: 0 });
      expect(storage).toBe(2);
      expect(creates(h)).toBe(1);
      const { client, jobs } = await allJobs(h);
      const link = (await client.jobs.files(jobs[0]?.job_id as string)).outputs.find((o) => o.format === "txt");
      const served = await (await h.emu.fetch(new Request(link?.download_url as string))).text();
      expect(await readFile(join(h.dir, "out", "a.txt"), "utf8")).toBe(served);
      expect(await temps(h)).toEqual([]);
    } finally {
      staleFiles.open();
      midBody.open();
      await db.end();
    }
  });

  it("3 workers whose every lease the database lapses every few milliseconds (10% faults): every input done, one job each, outputs as served", async () => {
    const h = await start({
      minStageMs: 20,
      faults: { rate: 0.1, seed: 7, kinds: ["500", "503", "drop", "lost"], retryAfterSeconds: 0 },
    });
    const rels = await writeRecordings(join(h.dir, "in"), 60);
    const run = runName();
    const db = new postgres.Client({ connectionString: pg.url });
    await db.connect();
    let lapsing = true;
    const lapses = (async () => {
      while (lapsing) {
        await db.query(LAPSE_ALL, [run]).catch(() => {});
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    try {
      const workers = await Promise.all([0, 1, 2].map(() => worker(h, run, { leaseMs: 1000 })));
      for (const { summary } of workers) {
        expect(summary.fatal).toBeUndefined();
        expect(summary.failed).toEqual([]);
        expect(summary.counts.done).toBe(60);
      }
    } finally {
      lapsing = false;
      await lapses;
      await db.end();
    }
    const { client, jobs } = await allJobs(h);
    expect(jobs).toHaveLength(60);
    const report = JSON.parse(await readFile(join(h.dir, "out", REPORT_FILE), "utf8"));
    const jobOf = new Map(report.inputs.map((r: { input: string; job_id: string }) => [r.input, r.job_id]));
    for (const rel of rels) {
      const files = await client.jobs.files(jobOf.get(rel) as string);
      const link = files.outputs.find((o) => o.format === "txt")?.download_url as string;
      const served = await (await h.emu.fetch(new Request(link))).text();
      expect(await readFile(join(h.dir, "out", rel.replace(/\.wav$/, ".txt")), "utf8")).toBe(served);
    }
    expect(await temps(h)).toEqual([]);
  }, 120_000);
});

/** Lapses every lease of run $1 (the rows locked in key order, as the store locks them). */
const LAPSE_ALL = `
WITH l AS (SELECT key FROM slng_bulk_inputs WHERE run = $1 AND lease_owner IS NOT NULL ORDER BY key FOR UPDATE)
UPDATE slng_bulk_inputs i SET lease_until = now() - interval '1 second' FROM l WHERE i.run = $1 AND i.key = l.key`;
