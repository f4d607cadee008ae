import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmulator, type Emulator } from "@slng/emulator";
import postgres from "pg";
import { describe, expect, inject, it } from "vitest";
import { runBulk } from "./engine.js";
import { collectInputs } from "./inputs.js";
import { readRunProgress } from "./pg-store.js";
import { REPORT_FILE } from "./report.js";
import { startPg, stopPg } from "./test-pg.js";
import {
  allJobs,
  BASE,
  creates,
  type Harness,
  harnessPerTest,
  KEY,
  uniqueRunName,
  writeRecordings,
} from "./test-support.js";
import type { BulkEvent } from "./types.js";

const WORKER = fileURLToPath(new URL("../test-fixtures/shared-worker.mjs", import.meta.url));
const pg = inject("pg");
const runName = () => uniqueRunName("t");

const start = harnessPerTest();

/** Runs one in-process worker of `run` over `<dir>/in` into `out`; `onEvent` sees every event. */
async function worker(h: Harness, run: string, out: string, onEvent?: (e: BulkEvent) => void) {
  const { inputs } = await collectInputs([join(h.dir, "in")], undefined, out);
  const handle = runBulk({
    inputs,
    outDir: out,
    store: pg.url,
    run,
    leaseMs: 2000,
    client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch, maxRetries: 3 },
    pollIntervalMs: { min: 10, max: 80 },
  });
  const events: BulkEvent[] = [];
  for await (const e of handle) {
    events.push(e);
    onEvent?.(e);
  }
  return { events, summary: await handle.done };
}

describe("a shared run in PostgreSQL", () => {
  it("two --out folders joined to one --run share the work: one job per recording, none twice", async () => {
    const h = await start({ minStageMs: 20 });
    await writeRecordings(join(h.dir, "in"), 24);
    const run = runName();
    const [a, b] = await Promise.all([worker(h, run, join(h.dir, "outA")), worker(h, run, join(h.dir, "outB"))]);
    expect(a.summary.counts.done).toBe(24);
    expect(b.summary.counts.done).toBe(24);
    expect(a.summary.fatal).toBeUndefined();
    for (const w of [a, b]) {
      const progress = w.events.filter((e) => e.type === "run_progress");
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[0]).toMatchObject({ total: 24 });
      expect(w.events.findIndex((e) => e.type === "run_progress")).toBeGreaterThan(
        w.events.findIndex((e) => e.type === "plan"),
      );
    }
    const { jobs } = await allJobs(h);
    expect(jobs).toHaveLength(24);
    expect(creates(h)).toBe(24);
    const progress = await readRunProgress(pg.url, run);
    expect(progress).toMatchObject({ total: 24, unfinished: 0 });
    h.seen.length = 0;
    const again = await worker(h, run, join(h.dir, "outA"));
    expect(again.summary.counts.done).toBe(24);
    expect(creates(h)).toBe(0);
  });

  it("a database that goes away mid-run: the worker pauses and says so, resumes when it is back, loses nothing", async () => {
    const h = await start({ minStageMs: 30 });
    await writeRecordings(join(h.dir, "in"), 30);
    const run = runName();
    let stopping: Promise<void> | undefined;
    let restarting: Promise<void> | undefined;
    let uploads = 0;
    const { events, summary } = await worker(h, run, join(h.dir, "out"), (e) => {
      if (e.type === "input" && e.state === "uploading" && ++uploads === 8) stopping = stopPg(pg);
      if (e.type === "warning" && /unreachable/.test(e.message))
        restarting = (stopping ?? Promise.resolve()).then(() => startPg(pg));
    });
    await stopping;
    await restarting;
    const warnings = events.filter((e) => e.type === "warning").map((e) => (e as { message: string }).message);
    expect(warnings.some((m) => /unreachable.*pausing until it is back/.test(m))).toBe(true);
    expect(warnings.some((m) => /is back; resuming/.test(m))).toBe(true);
    expect(warnings.join("\n")).not.toContain(pg.password);
    expect(summary.fatal).toBeUndefined();
    expect(summary.counts.done).toBe(30);
    expect((await allJobs(h)).jobs).toHaveLength(30);
  });

  it("a worker renews its leases while it works, so a slow create is not taken over by another worker", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 1);
    const run = runName();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let posts = 0;
    h.intercept = async (_req, seen) => {
      if (seen.method === "POST" && ++posts === 1) await held;
      return undefined;
    };
    const first = worker(h, run, join(h.dir, "out"));
    while (posts === 0) await new Promise((r) => setTimeout(r, 20));
    const second = worker(h, run, join(h.dir, "out2"));
    const db = new postgres.Client({ connectionString: pg.url });
    await db.connect();
    try {
      const leases = new Set<number>();
      for (let i = 0; i < 200 && leases.size < 5; i++) {
        const { rows } = await db.query("SELECT lease_until FROM slng_bulk_inputs WHERE run = $1", [run]);
        if (rows[0]?.lease_until) leases.add(new Date(rows[0].lease_until).getTime());
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(leases.size).toBeGreaterThanOrEqual(5);
    } finally {
      release();
      await db.end();
    }
    const [a, b] = await Promise.all([first, second]);
    expect(a.summary.counts.done).toBe(1);
    expect(b.summary.counts.done).toBe(1);
    expect(b.events.some((e) => e.type === "input" && e.state === "uploading")).toBe(false);
    expect(posts).toBe(1);
  });

  it("a wrong password exits 2 with a message that says so and never shows the password", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    const wrong = pg.url.replace(pg.password, "notTheRightSecret42");
    const w = spawnWorker(
      JSON.stringify({
        sources: [join(h.dir, "in")],
        out: join(h.dir, "out"),
        store: wrong,
        run: runName(),
        key: KEY,
        baseUrl: "http://127.0.0.1:9",
      }),
    );
    expect((await w.exit).code).toBe(2);
    expect(w.output()).toMatch(
      /cannot open the bulk store postgres:\/\/slng@127\.0\.0\.1:\d+\/postgres: the password was refused/,
    );
    expect(w.output()).not.toContain("notTheRightSecret42");
    expect(h.seen).toEqual([]);
  });

  it("a worker with other settings than the run's is refused (exit 2), not given a second set of jobs", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 3);
    const run = runName();
    expect((await worker(h, run, join(h.dir, "out"))).summary.counts.done).toBe(3);
    const { inputs } = await collectInputs([join(h.dir, "in")], undefined, join(h.dir, "out"));
    const other = await runBulk({
      inputs,
      outDir: join(h.dir, "out"),
      store: pg.url,
      run,
      formats: ["srt"],
      client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch },
    }).done;
    expect(other.fatal).toMatchObject({ kind: "local", message: expect.stringMatching(/other settings/) });
    expect((await allJobs(h)).jobs).toHaveLength(3);
  });

  it("3 worker processes, one killed -9 mid-run and a 4th started later, 10% faults with lost answers: exactly one job and one transcript per recording", async () => {
    const lines: string[] = [];
    const emu = createEmulator({
      apiKeys: [KEY],
      rtf: 0,
      minStageMs: 40,
      faults: { rate: 0.1, seed: 16, kinds: ["500", "503", "429", "drop", "lost"], retryAfterSeconds: 0 },
      logger: (l) => lines.push(l),
    });
    const h = await start();
    try {
      const { url } = await emu.listen();
      const rels = await writeRecordings(join(h.dir, "in"), 200, 0.1);
      const run = runName();
      const env = (o: object) =>
        JSON.stringify({
          sources: [join(h.dir, "in")],
          out: join(h.dir, "out"),
          store: pg.url,
          run,
          key: KEY,
          baseUrl: url,
          leaseMs: 1500,
          ...o,
        });
      const w = [spawnWorker(env({})), spawnWorker(env({})), spawnWorker(env({}))];
      await w[0]?.when((e) => e.type === "input" && e.state === "uploading", 12);
      const pollers = w.filter((x) => x?.events.some((e) => e.type === "poll"));
      expect(pollers.length).toBeLessThanOrEqual(1);
      w[0]?.child.kill("SIGKILL");
      expect((await w[0]?.exit)?.signal).toBe("SIGKILL");
      const fourth = spawnWorker(env({}));
      const codes = await Promise.all([w[1]?.exit, w[2]?.exit, fourth.exit]);
      const fatal = [w[1], w[2], fourth].map((x) => x?.events.filter((e) => e.type === "fatal"));
      expect(
        codes.map((c) => c?.code),
        JSON.stringify(fatal),
      ).toEqual([0, 0, 0]);
      const { client, jobs } = await allJobsAt(emu);
      expect(jobs).toHaveLength(200);
      const report = JSON.parse(await readFile(join(h.dir, "out", REPORT_FILE), "utf8"));
      expect(report.inputs).toHaveLength(200);
      expect(report.counts.done).toBe(200);
      const byKey = new Map(report.inputs.map((r: { input: string; job_id: string }) => [r.input, r.job_id]));
      for (const rel of rels) {
        const jobId = byKey.get(rel) as string;
        const files = await client.jobs.files(jobId);
        const link = files.outputs.find((o) => o.format === "txt")?.download_url as string;
        const served = await (await emu.fetch(new Request(link))).text();
        expect(await readFile(join(h.dir, "out", rel.replace(/\.wav$/, ".txt")), "utf8")).toBe(served);
      }
      const before = lines.filter((l) => l.startsWith("POST /v1/batch/jobs ")).length;
      const rerun = spawnWorker(env({}));
      expect((await rerun.exit).code).toBe(0);
      expect(lines.filter((l) => l.startsWith("POST /v1/batch/jobs ")).length).toBe(before);
    } finally {
      await emu.close();
    }
  }, 120_000);
});

/** Every job of the test key, read in-process from `emu`. */
async function allJobsAt(emu: Emulator) {
  const { createSlngClient } = await import("@slng/client");
  const client = createSlngClient({
    apiKey: KEY,
    baseUrl: "http://emulator.test",
    fetch: (r) => emu.fetch(r),
    maxRetries: 10,
  });
  const jobs = [];
  for await (const job of client.jobs.list({ pageSize: 100 })) jobs.push(job);
  return { client, jobs };
}

interface Worker {
  child: ChildProcess;
  events: Record<string, unknown>[];
  output: () => string;
  /** Resolves once `count` events matching `match` were printed. */
  when: (match: (e: Record<string, unknown>) => boolean, count?: number) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a worker process (the built package) with its options as JSON. */
function spawnWorker(options: string): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: { PATH: process.env.PATH ?? "", SLNG_TEST_WORKER: options },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Record<string, unknown>[] = [];
  let out = "";
  let pending = "";
  const waiters: { match: (e: Record<string, unknown>) => boolean; count: number; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (events.filter(w.match).length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout?.on("data", (d: Buffer) => {
    out += d;
    pending += d;
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts)
      try {
        events.push(JSON.parse(line));
      } catch {}
    check();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    events,
    output: () => out,
    when: (match, count = 1) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ match, count, resolve });
        check();
        exit.then(() => reject(new Error(`the worker exited first:\n${out.slice(-2000)}`)));
      }),
    exit,
  };
}
