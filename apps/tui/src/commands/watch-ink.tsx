import { WatchScreen } from "../components/watch-screen.js";
import type { JobsApi } from "../lib/api.js";
import { runInk } from "../lib/ink-runner.js";
import type { Io } from "../lib/io.js";
import { outputSaver } from "../lib/save-outputs.js";
import type { WatchController } from "../lib/watch-controller.js";

/** Runs the Ink watch view for a started controller until the view exits (loaded lazily: Ink costs ~0.3 s to load). */
export async function runWatchInk(
  io: Io,
  api: JobsApi,
  controller: WatchController,
  opts: { stay: boolean; useStatic: boolean; quitLabel?: string },
): Promise<void> {
  const save = outputSaver(api, process.cwd());
  await runInk(
    io,
    (exit) => (
      <WatchScreen
        controller={controller}
        interactive
        stay={opts.stay}
        useStatic={opts.useStatic}
        {...(opts.quitLabel ? { quitLabel: opts.quitLabel } : {})}
        onExit={exit}
        onSave={() => save(controller.jobId)}
      />
    ),
    () => controller.stop("interrupt"),
  );
}
