import { isJobId } from "@slng/types";
import { watchFrame } from "../components/watch-frame.js";
import { type WatchScreenUi, watchScreenView } from "../components/watch-screen-view.js";
import type { JobsApi } from "../lib/api.js";
import { UsageError } from "../lib/args.js";
import { EXIT } from "../lib/exit-codes.js";
import { PlainFrames } from "../lib/first-frame.js";
import type { ApiFactory, Io } from "../lib/io.js";
import { attachLineRenderer } from "../lib/line-renderer.js";
import {
  WatchController,
  type WatchControllerOptions,
  type WatchOutcome,
  type WatchState,
} from "../lib/watch-controller.js";

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
    const run = c.run();
    // Awaited after the view; until then a failure must not count as unhandled (a crash with a stack).
    run.catch(() => undefined);
    await drawUntilInk(io, c, options);
    const { runWatchInk } = await import("./watch-ink.js");
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

/** How long the first GET may take before Ink loads anyway (its view then shows the loading frame). */
const FIRST_SNAPSHOT_WAIT_MS = 250;

/** Whether the state has something to draw beyond the loading frame, or tells why there is none yet. */
function settled(state: WatchState): boolean {
  return state.job !== undefined || state.outcome !== undefined || state.connection.status === "retrying";
}

/**
 * Draws the view's own frames with plain writes before Ink is loaded — the loading frame at
 * once, then the job's frame when the first GET answers (or after {@link FIRST_SNAPSHOT_WAIT_MS})
 * — and starts the hand-over that Ink's first frame completes. A watch whose first answer
 * already ends it leaves the frame to Ink, which draws the final one.
 */
async function drawUntilInk(io: Io, c: WatchController, options: WatchJobOptions): Promise<void> {
  const ui: WatchScreenUi = {
    columns: io.stdout.columns || 80,
    rows: io.stdout.rows || 24,
    overlay: { kind: "none" },
    quit: false,
    interactive: true,
    stay: options.stay === true,
    useStatic: options.useStatic !== false,
    quitLabel: options.quitLabel,
  };
  const frames = new PlainFrames(io.stdout, io.color);
  const draw = () => frames.draw(watchFrame(watchScreenView(c, c.getState(), ui, Date.now())));
  draw();
  if (!settled(c.getState())) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, FIRST_SNAPSHOT_WAIT_MS);
      const unsubscribe = c.subscribe((state) => {
        if (settled(state)) done();
      });
      function done() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    if (c.getState().outcome === undefined) draw();
  }
  frames.handOver();
}
