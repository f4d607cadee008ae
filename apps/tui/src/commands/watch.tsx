import { isJobId } from "@slng/types";
import type { JobsApi } from "../lib/api.js";
import { UsageError } from "../lib/args.js";
import { EXIT } from "../lib/exit-codes.js";
import { eraseFirstFrame, firstFrame } from "../lib/first-frame.js";
import type { ApiFactory, Io } from "../lib/io.js";
import { attachLineRenderer } from "../lib/line-renderer.js";
import { WatchController, type WatchControllerOptions, type WatchOutcome } from "../lib/watch-controller.js";

/** Options of {@link watchJob}. */
export interface WatchJobOptions extends WatchControllerOptions {
  stay?: boolean;
  /** Print finished lines through `<Static>` (default true). */
  useStatic?: boolean;
  /** The key bar's label of `q` (default: "quit (job keeps running)"). */
  quitLabel?: string;
}

/** Checks a job id argument; a bad one is a usage error (exit 2) before any request. */
export function checkJobId(jobId: string, command: "watch" | "transcript" | "files" | "delete"): void {
  if (!isJobId(jobId)) {
    throw new UsageError(`"${jobId}" is not a job id (job ids are letters and digits only)`, command);
  }
}

/**
 * Watches one job to its end with the right renderer for the terminal — the Ink view on a
 * TTY, timestamped lines or JSON events otherwise — and returns how it ended (its exit code).
 */
export async function watchJob(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  options: WatchJobOptions,
): Promise<WatchOutcome> {
  let controller: WatchController | undefined;
  const api: JobsApi = makeApi((event) => controller?.noteConnection(event));
  controller = new WatchController(api, jobId, options);
  const c = controller;
  if (io.interactive) {
    // The view's loading frame at once, and the first poll under way, while Ink loads; Ink's first frame replaces it.
    const run = c.run();
    // Awaited after the view; until then a failure must not count as unhandled (a crash with a stack).
    run.catch(() => undefined);
    io.stdout.write(firstFrame(jobId, io.color));
    const { runWatchInk } = await import("./watch-ink.js");
    io.stdout.write(eraseFirstFrame());
    const ended = await runWatchInk(io, api, c, {
      stay: options.stay === true,
      useStatic: options.useStatic !== false,
      ...(options.quitLabel ? { quitLabel: options.quitLabel } : {}),
    });
    c.stop(ended.signal ? "interrupt" : "quit");
    const outcome = await run;
    return ended.signal ? { code: EXIT.interrupted, reason: "interrupted" } : outcome;
  }
  const detach = attachLineRenderer(c, (text) => io.stdout.write(text), { json: io.json, color: io.color });
  const onSignal = () => c.stop("interrupt");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await c.run();
  } finally {
    detach();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
