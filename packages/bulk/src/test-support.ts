import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterEach } from "vitest";
import { runBulk } from "./engine.js";
import { collectInputs } from "./inputs.js";
import type { BulkOptions } from "./options.js";
import type { BulkEvent, BulkSummary } from "./types.js";

/** Test key of the in-process emulator. */
export const KEY = "bulkTestKey";
/** Base URL the in-process emulator is reached at. */
export const BASE = "http://emulator.test";

/** One request seen by a {@link Harness}. */
export interface Seen {
  method: string;
  path: string;
}

/** An in-process emulator, a temp folder and a counting fetch, for engine tests. */
export interface Harness {
  emu: Emulator;
  dir: string;
  seen: Seen[];
  /** Wrapped before the emulator: may answer or throw instead (return undefined to pass on). */
  intercept?: (req: Request, seen: Seen) => Promise<Response | undefined> | undefined;
  /** Called after the emulator answered (return a replacement or throw to lose the answer). */
  after?: (req: Seen, res: Response) => Promise<Response> | Response;
  fetch: (req: Request) => Promise<Response>;
  cleanup: () => Promise<void>;
}

/** Starts a harness with an emulator whose jobs finish at once. */
export async function harness(emuOptions: Parameters<typeof createEmulator>[0] = {}): Promise<Harness> {
  const emu = createEmulator({ apiKeys: [KEY], minStageMs: 0, rtf: 0, ...emuOptions });
  const dir = await mkdtemp(join(tmpdir(), "slng-bulk-"));
  const h: Harness = {
    emu,
    dir,
    seen: [],
    fetch: async (req) => {
      const seen = { method: req.method, path: new URL(req.url).pathname };
      h.seen.push(seen);
      const early = await h.intercept?.(req, seen);
      if (early) return early;
      const res = await emu.fetch(req);
      return h.after ? h.after(seen, res) : res;
    },
    cleanup: async () => {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Writes `n` short WAVs (distinct content) under `root`, nested two levels, and returns their relative paths. */
export async function writeRecordings(root: string, n: number, seconds = 0.3): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const rel = `set${i % 3}/day${i % 2}/rec${String(i).padStart(3, "0")}.wav`;
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), createSampleWav({ seconds, seed: i + 1 }));
    paths.push(rel);
  }
  return paths;
}

/** Runs the engine over `sources` against the harness; returns its events and summary. */
export async function runOver(
  h: Harness,
  sources: string[],
  extra: Partial<BulkOptions> & { onEvent?: (e: BulkEvent) => void } = {},
): Promise<{ events: BulkEvent[]; summary: BulkSummary }> {
  const { onEvent, ...options } = extra;
  const { inputs, skippedFiles } = await collectInputs(sources, undefined, join(h.dir, "out"));
  const events: BulkEvent[] = [];
  const run = runBulk({
    inputs,
    skippedFiles,
    outDir: join(h.dir, "out"),
    client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch, maxRetries: 3 },
    pollIntervalMs: { min: 5, max: 40 },
    ...options,
  });
  for await (const e of run) {
    events.push(e);
    onEvent?.(e);
  }
  return { events, summary: await run.done };
}

/** Every job the API lists for the test key. */
export async function allJobs(h: Harness) {
  const client = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: (r) => h.emu.fetch(r), maxRetries: 10 });
  const jobs = [];
  for await (const job of client.jobs.list({ pageSize: 100 })) jobs.push(job);
  return { client, jobs };
}

/** A `start(options?)` giving each test a fresh harness, cleaned up after the test (registers `afterEach`). */
export function harnessPerTest(): (opts?: Parameters<typeof harness>[0]) => Promise<Harness> {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.cleanup()));
  });
  return async (opts) => {
    const h = await harness(opts);
    open.push(h);
    return h;
  };
}

/** How many creates (`POST /v1/batch/jobs`) the harness has seen. */
export const creates = (h: Harness): number =>
  h.seen.filter((s) => s.method === "POST" && s.path === "/v1/batch/jobs").length;

/**
 * Makes every job that `held` picks read as IN_PROGRESS in list pages and single-job GETs, so
 * the run sees it outstanding whatever the emulator's clock says; `onAnswer` sees each answer
 * first (to count creates, say). Replaces the harness's `after`.
 */
export function holdJobs(
  h: Harness,
  held: (job: Record<string, unknown>) => boolean,
  onAnswer?: (seen: Seen, res: Response) => void,
): void {
  const view = (job: Record<string, unknown>) =>
    held(job) ? { ...job, status: "IN_PROGRESS", completed_at: null } : job;
  h.after = async (seen, res) => {
    onAnswer?.(seen, res);
    if (seen.method !== "GET" || !res.ok) return res;
    if (seen.path === "/v1/batch/jobs") {
      const body = (await res.json()) as { items: Record<string, unknown>[] };
      return Response.json({ ...body, items: body.items.map(view) });
    }
    if (/^\/v1\/batch\/jobs\/[^/]+$/.test(seen.path))
      return Response.json(view((await res.json()) as Record<string, unknown>));
    return res;
  };
}

/** Counts in `count.n` each job the API accepted (a 202 to a create). */
export const countCreated =
  (count: { n: number }) =>
  (seen: Seen, res: Response): void => {
    if (seen.method === "POST" && seen.path.startsWith("/v1/batch/jobs") && res.status === 202) count.n++;
  };

let runCount = 0;
/** A shared-run name no other test, in this process or another, uses: `prefix`, the pid, a counter, a random tail. */
export const uniqueRunName = (prefix: string): string =>
  `${prefix}${process.pid}-${++runCount}-${Math.random().toString(36).slice(2, 6)}`;

/** One in-process worker of the shared run `run` in the store at `store`, over `<dir>/in` into `<dir>/out` (2 s leases). */
export const sharedWorker = (h: Harness, store: string, run: string, extra: Partial<BulkOptions> = {}) =>
  runOver(h, [join(h.dir, "in")], { store, run, leaseMs: 2000, ...extra });
