import { advanceTimeline, type Timeline } from "../lib/timeline.js";
import type { WatchState } from "../lib/watch-controller.js";
import { makeJob } from "./fake-api.js";

/** The fixtures' clock: every job was submitted at this instant. */
export const T0 = Date.parse("2026-01-01T12:00:00.000Z");

/** `ms` as the API's ISO 8601 text. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A job's `started_at` two seconds after {@link T0}. */
export const started = { started_at: iso(T0 + 2000) };

/** The watch state after the job went through `steps` (status, when it was seen, patch of the job). */
export function stateFor(
  steps: [string, number, Record<string, unknown>?][],
  extra: Partial<WatchState> = {},
): WatchState {
  let timeline: Timeline = { stages: [] };
  let job = makeJob();
  for (const [status, at, patch] of steps) {
    job = makeJob({ status: status as never, ...(patch ?? {}) });
    timeline = advanceTimeline(timeline, job, at);
  }
  return { jobId: "job123", job, timeline, connection: { status: "ok", failures: 0 }, ...extra };
}

/** A job DONE after 9 s, with json and txt outputs and a 12-line transcript. */
export function doneState(): WatchState {
  return stateFor(
    [
      ["QUEUED", T0],
      ["IN_PROGRESS", T0 + 2100, started],
      ["DONE", T0 + 9500, { ...started, completed_at: iso(T0 + 9000) }],
    ],
    {
      outputs: [
        { format: "json", key: "k", s3_uri: "s", download_url: "u" },
        { format: "txt", key: "k", s3_uri: "s", download_url: "u" },
      ],
      transcript: Array.from({ length: 12 }, (_, i) => `Line ${i + 1} of the transcript.`).join("\n"),
    },
  );
}
