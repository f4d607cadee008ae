import { WatchScreen } from "../components/watch-screen.js";
import type { JobsApi } from "../lib/api.js";
import { type InkRunResult, runInk } from "../lib/ink-runner.js";
import type { Io } from "../lib/io.js";
import { saveOutputs } from "../lib/save-outputs.js";
import type { WatchController } from "../lib/watch-controller.js";

/** Runs the Ink watch view for a started controller until the view exits (loaded lazily: Ink costs ~0.3 s to load). */
export async function runWatchInk(
  io: Io,
  api: JobsApi,
  controller: WatchController,
  opts: { stay: boolean; useStatic: boolean },
): Promise<InkRunResult> {
  return await runInk(
    io,
    (exit) => (
      <WatchScreen
        controller={controller}
        interactive
        stay={opts.stay}
        useStatic={opts.useStatic}
        onExit={exit}
        onSave={() => saveOutputs(api, controller.jobId, process.cwd())}
      />
    ),
    (exit) => {
      // A watch that has already ended has nothing to abort: its final frame is drawn.
      if (controller.getState().outcome) exit();
      else controller.stop("interrupt");
    },
  );
}
