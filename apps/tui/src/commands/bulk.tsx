import {
  type BulkEvent,
  type BulkRunHandle,
  BulkStoreError,
  type BulkSummary,
  BulkUsageError,
  collectInputs,
  readRunProgress,
  redactStoreUrl,
  runBulk,
} from "@slng/bulk";
import { createSlngClient } from "@slng/client";
import type { ParsedCommand } from "../lib/args.js";
import { UsageError } from "../lib/args.js";
import { BulkJsonLines, bulkLine, summaryText } from "../lib/bulk-lines.js";
import { type BulkRequest, parseBulkRequest, parseSharedRun, type SharedRun } from "../lib/bulk-options.js";
import { checkOutOutsideInputs } from "../lib/bulk-out-check.js";
import { needsNoRequest } from "../lib/bulk-preplan.js";
import { resolveConfig } from "../lib/config.js";
import { EXIT, type ExitCode } from "../lib/exit-codes.js";
import type { Io } from "../lib/io.js";
import { onOutputLost } from "../lib/process-exit.js";
import { sanitize } from "../lib/sanitize.js";

/** How the run was stopped by the user, if it was. */
export type StopKind = "detach" | "interrupt" | undefined;

/** The exit code of a finished bulk run (see `BULK_EXIT_HELP`); a dry run fails only for an input it cannot take. */
export function bulkExitCode(s: BulkSummary, stopped: StopKind, dryRun = false): ExitCode {
  if (stopped === "interrupt") return EXIT.interrupted;
  if (s.fatal) return s.fatal.kind === "local" ? EXIT.usage : EXIT.api;
  if (s.failed.length > 0) return EXIT.jobFailed;
  if (dryRun) return EXIT.ok;
  if (stopped === "detach") return EXIT.ok;
  return s.counts.done === s.total ? EXIT.ok : EXIT.jobFailed;
}

const write = (stream: NodeJS.WriteStream, text: string) =>
  new Promise<void>((resolve) => {
    if (!stream.write(text, () => resolve())) stream.once("error", () => resolve());
  });

/** Where the API is: the global `--api-key`/`--base-url` flags (else the environment) and the User-Agent. */
export interface BulkConnection {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  userAgent: string;
}

function clientOptions(io: Io, c: BulkConnection) {
  const config = resolveConfig({ apiKey: c.apiKey, baseUrl: c.baseUrl }, io.env);
  return { apiKey: config.apiKey, baseUrl: config.baseUrl, userAgent: c.userAgent };
}

/** A warning before the run: a JSON `warning` event with --json, else `warning: …` on stderr. */
function warn(io: Io, message: string): void {
  const e = { type: "warning" as const, message };
  if (io.json) io.stdout.write(new BulkJsonLines().line(e, Date.now()) ?? "");
  else io.stderr.write(`warning: ${message}\n`);
}

/**
 * Checks the key with one authenticated GET (a one-job list page) before anything is written,
 * as `submit` does: a refused key or an unreachable API ends the command (exit 3) with no output
 * folder or journal made. Skipped when the run needs no request (see `needsNoRequest`).
 */
async function checkKey(io: Io, c: BulkConnection, signal: AbortSignal): Promise<void> {
  await createSlngClient(clientOptions(io, c)).jobs.listPage({ pageSize: 1, signal });
}

type Collected = Awaited<ReturnType<typeof collectInputs>>;

async function collect(io: Io, req: BulkRequest): Promise<Collected> {
  let collected: Collected;
  await checkOutOutsideInputs(req.sources, req.outDir);
  try {
    collected = await collectInputs(req.sources, req.manifest, req.outDir, {
      followSymlinks: req.followSymlinks,
      anyExtension: req.anyExtension,
    });
  } catch (e) {
    if (e instanceof BulkUsageError) throw new UsageError(e.message, "bulk");
    throw e;
  }
  if (collected.inputs.length === 0)
    throw new UsageError(
      `no audio files found in ${[...req.sources, ...(req.manifest ? [req.manifest] : [])].join(", ")}${collected.skippedFiles.length ? ` (skipped ${collected.skippedFiles.length} other files)` : ""}`,
      "bulk",
    );
  for (const message of collected.warnings) warn(io, message);
  return collected;
}

function startRun(
  io: Io,
  req: BulkRequest,
  collected: Collected,
  c: BulkConnection,
  signal: AbortSignal,
): BulkRunHandle {
  const client = req.dryRun ? undefined : clientOptions(io, c);
  return runBulk({
    ...req.run,
    inputs: collected.inputs,
    skippedFiles: collected.skippedFiles,
    outDir: req.outDir,
    formats: req.formats,
    concurrency: req.concurrency,
    retryFailed: req.retryFailed,
    dryRun: req.dryRun,
    overwrite: req.overwrite,
    ...(req.maxOfflineMs ? { maxOfflineMs: req.maxOfflineMs } : {}),
    ...(client ? { client } : {}),
    ...(req.shared ? { store: req.shared.store, run: req.shared.run } : {}),
    signal,
  });
}

/** `bulk --status`: a shared run's progress from its store, without working on it. */
async function statusCommand(io: Io, shared: SharedRun | undefined): Promise<ExitCode> {
  if (!shared)
    throw new UsageError("--status needs --store postgres://… (or SLNG_BULK_STORE) and --run <name>", "bulk");
  let p: Awaited<ReturnType<typeof readRunProgress>>;
  try {
    p = await readRunProgress(shared.store, shared.run);
  } catch (e) {
    if (e instanceof BulkStoreError) throw new UsageError(e.message, "bulk");
    throw e;
  }
  if (io.json) {
    const line = { type: "status", run: shared.run, store: redactStoreUrl(shared.store), ...p };
    await write(io.stdout, `${JSON.stringify(line)}\n`);
    return EXIT.ok;
  }
  const parts = Object.entries(p.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${state} ${n}`);
  const head = p.unfinished === 0 ? "finished" : `${p.unfinished} unfinished`;
  await write(
    io.stdout,
    `run ${shared.run}: ${p.total} inputs, ${head}${parts.length ? ` (${parts.join(", ")})` : ""}\n`,
  );
  return EXIT.ok;
}

/** Resolves when `stream` wants more (or can take no more: it errored or closed). */
const drained = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done).off("error", done).off("close", done);
      resolve();
    };
    stream.on("drain", done).on("error", done).on("close", done);
  });

/**
 * One line per event; waits while the reader is behind, so a slow pipe slows the run (the
 * engine's creates wait) rather than filling memory. Returns whether the run started (its plan
 * came): in text, a run stopped before that (a store it cannot open, a folder another run
 * holds) prints no line for it here — the caller prints one error instead of a summary.
 */
async function runLines(io: Io, run: BulkRunHandle): Promise<boolean> {
  const json = new BulkJsonLines();
  let started = false;
  for await (const e of run as AsyncIterable<BulkEvent>) {
    if (e.type === "plan") started = true;
    if (!io.json && !started && e.type === "fatal") continue;
    const line = io.json ? json.line(e, Date.now()) : bulkLine(e, Date.now());
    if (line && !io.stdout.write(io.json ? line : `${line}\n`)) await drained(io.stdout);
  }
  return started;
}

/**
 * `slng-batch bulk`: checks the arguments, collects the inputs, then runs the engine with the
 * Ink view on a terminal, one line per state change in a pipe, or one JSON event per line.
 */
export async function bulkCommand(
  io: Io,
  values: ParsedCommand["values"],
  positionals: readonly string[],
  connection: BulkConnection,
): Promise<ExitCode> {
  if (values.status === true) return statusCommand(io, parseSharedRun(values, io.env));
  const req = parseBulkRequest(values, positionals, io.env);
  const abort = new AbortController();
  let stopped: StopKind;
  const stop = (kind: "detach" | "interrupt") => {
    stopped ??= kind;
    abort.abort();
  };
  const collected = await collect(io, req);
  if (!req.dryRun && !(await needsNoRequest(req, collected.inputs))) await checkKey(io, connection, abort.signal);
  const run = startRun(io, req, collected, connection, abort.signal);
  const onSignal = () => stop("interrupt");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const offOutputLost = onOutputLost(() => stop("detach"));
  let started = true;
  try {
    if (io.interactive && !req.dryRun) {
      const { runBulkInk } = await import("./bulk-ink.js");
      await runBulkInk(io, run, req.outDir, stop);
    } else started = await runLines(io, run);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const summary = await run.done;
  offOutputLost();
  if (io.json) await write(io.stdout, "");
  else if (!started && summary.fatal) await write(io.stderr, `error: ${sanitize(summary.fatal.message)}\n`);
  else await write(io.stdout, req.dryRun ? "\nDry run: nothing was sent or written.\n" : summaryText(summary));
  return bulkExitCode(summary, stopped, req.dryRun);
}
