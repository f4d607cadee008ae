import type { JobStatus } from "@slng/types";
import { isLoopbackUrl } from "./config.js";

/** The gaps between a watch's polls, in ms (the client's `minIntervalMs` and `maxIntervalMs`). */
export interface WatchPace {
  minIntervalMs: number;
  maxIntervalMs: number;
}

/** The pace of a watch in each part of a job's life, against one API. */
interface PaceTable {
  /** QUEUED (or not known yet): a poll must land in IN_PROGRESS or DECODING, together at least 2 s. */
  queued: WatchPace;
  /** IN_PROGRESS and DECODING: a poll must land in the next stage, which may last just 1 s. */
  processing: WatchPace;
  /** POST_PROCESSING: its end is `completed_at`, whenever DONE is seen. */
  finishing: WatchPace;
}

/** Against the SLNG API: a stage of 1 s or longer always gets a poll, with room for a round trip. */
export const REMOTE_PACE: PaceTable = {
  queued: { minIntervalMs: 500, maxIntervalMs: 1500 },
  processing: { minIntervalMs: 500, maxIntervalMs: 700 },
  finishing: { minIntervalMs: 500, maxIntervalMs: 3000 },
};

/** Against a loopback API (the emulator, whose stages last 0.4 s by default): a poll costs next to nothing. */
export const LOOPBACK_PACE: PaceTable = {
  queued: { minIntervalMs: 250, maxIntervalMs: 1000 },
  processing: { minIntervalMs: 250, maxIntervalMs: 250 },
  finishing: { minIntervalMs: 250, maxIntervalMs: 3000 },
};

/**
 * How often a watch of a job in `status` on `baseUrl` polls. A stage shows how long it took when
 * a poll sees it, or when both its ends are the API's timestamps: `started_at` starts
 * IN_PROGRESS, the `updated_at` of a snapshot starts the stage it shows, `completed_at` ends
 * POST_PROCESSING. So polls are brisk only while a short stage could be missed (in IN_PROGRESS
 * and DECODING), and sparser while queued (a poll in IN_PROGRESS or DECODING times both) and
 * in POST_PROCESSING. {@link REMOTE_PACE}, or {@link LOOPBACK_PACE} for the emulator on this machine.
 */
export function watchPace(baseUrl: string, status?: JobStatus): WatchPace {
  let table = REMOTE_PACE;
  try {
    if (isLoopbackUrl(new URL(baseUrl))) table = LOOPBACK_PACE;
  } catch {
    // Not a URL: the API's pace.
  }
  if (status === "IN_PROGRESS" || status === "DECODING") return table.processing;
  if (status === "POST_PROCESSING") return table.finishing;
  return table.queued;
}
