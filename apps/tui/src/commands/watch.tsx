import { isJobId } from "@slng/types";
import { watchFrame } from "../components/watch-frame.js";
import { type WatchScreenUi, watchScreenView } from "../components/watch-screen-view.js";
import type { JobsApi } from "../lib/api.js";
import { UsageError } from "../lib/args.js";
import { EXIT } from "../lib/exit-codes.js";
import { PlainFrames } from "../lib/first-frame.js";
import type { InkRunResult } from "../lib/ink-runner.js";
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
  // On a terminal, the view's loading frame comes first: creating the client loads Node's fetch (~20 ms).
  const frames = io.interactive ? new PlainFrames(io.stdout, io.color) : undefined;
  const ui = screenUi(io, options);
  frames?.draw(watchFrame(watchScreenView(NO_ETA, WatchController.initialState(jobId), ui, Date.now())));
  let controller: WatchController | undefined;
  const api: JobsApi = makeApi((event) => controller?.noteConnection(event));
  controller = new WatchController(api, jobId, options);
  const c = controller;
  if (frames) {
    const run = c.run();
    // Awaited after the view; until then a failure must not count as unhandled (a crash with a stack).
    run.catch(() => undefined);
    // Until Ink reads keys, Ctrl+C is a signal (the terminal is still cooked): it interrupts the watch the same way.
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
      c.stop("interrupt");
    };
    const release = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    let ended: InkRunResult;
    try {
      await drawFirstAnswer(frames, c, ui);
      const { runWatchInk } = await import("./watch-ink.js");
      if (interrupted) {
        await run;
        frames.draw(watchFrame(watchScreenView(c, c.getState(), { ...ui, quit: "interrupt" }, Date.now())));
        // As after Ink: a signal ends the command with 130, also when the job had already ended (--stay).
        return { code: EXIT.interrupted, reason: "interrupted" };
      }
      frames.handOver();
      // Ink's runner takes the signals over from here.
      release();
      ended = await runWatchInk(io, api, c, {
        stay: options.stay === true,
        useStatic: options.useStatic !== false,
        ...(options.quitLabel ? { quitLabel: options.quitLabel } : {}),
      });
    } finally {
      release();
    }
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

const NO_ETA = { eta: () => undefined };

/** The watch screen's settings as its first frame has them: the window, no overlay, nothing typed yet. */
function screenUi(io: Io, options: WatchJobOptions): WatchScreenUi {
  return {
    columns: io.stdout.columns || 80,
    rows: io.stdout.rows || 24,
    overlay: { kind: "none" },
    quit: false,
    interactive: true,
    stay: options.stay === true,
    useStatic: options.useStatic !== false,
    quitLabel: options.quitLabel,
  };
}

/**
 * Before Ink is loaded, draws the job's frame with plain writes as soon as the first GET
 * answers (or gives up after {@link FIRST_SNAPSHOT_WAIT_MS}, leaving the loading frame). A
 * watch whose first answer already ends it leaves the frame to Ink, which draws the final one.
 */
async function drawFirstAnswer(frames: PlainFrames, c: WatchController, ui: WatchScreenUi): Promise<void> {
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
  }
  if (c.getState().outcome === undefined) frames.draw(watchFrame(watchScreenView(c, c.getState(), ui, Date.now())));
}
