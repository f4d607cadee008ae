import { WatchScreen } from "../components/watch-screen.js";
import type { JobsApi } from "../lib/api.js";
import { type InkRunResult, runInk } from "../lib/ink-runner.js";
import type { Io } from "../lib/io.js";
import { outputSaver } from "../lib/save-outputs.js";
import type { WatchController } from "../lib/watch-controller.js";

/** Runs the Ink watch view for a started controller until the view exits (loaded lazily: Ink costs ~0.3 s to load). */
export async function runWatchInk(
  io: Io,
  api: JobsApi,
  controller: WatchController,
  opts: { stay: boolean; useStatic: boolean; quitLabel?: string },
): Promise<InkRunResult> {
  let interrupted = false;
  const save = outputSaver(api, process.cwd());
  const result = await runInk(
    io,
    (exit) => (
      <WatchScreen
        controller={controller}
        interactive
        stay={opts.stay}
        useStatic={opts.useStatic}
        {...(opts.quitLabel ? { quitLabel: opts.quitLabel } : {})}
        onExit={(byCtrlC) => {
          interrupted = byCtrlC === true;
          exit();
        }}
        onSave={() => save(controller.jobId)}
        {...(io.stdout.isTTY
          ? { patchTicks: { write: (chunk: string) => io.stdout.write(chunk), color: io.color } }
          : {})}
      />
    ),
    (exit) => {
      const ended = controller.getState().outcome !== undefined;
      controller.stop("interrupt");
      // A watch that had already ended has nothing left to abort: its final frame is drawn.
      if (ended) exit();
    },
  );
  // Ctrl+C typed (raw mode: a key, not a signal) ends the watch like SIGINT, whatever the job did.
  return interrupted && !result.signal ? { ...result, signal: "SIGINT" } : result;
}
