import { isLoopbackUrl } from "./config.js";

/** The gaps between a watch's polls, in ms (the client's `minIntervalMs` and `maxIntervalMs`). */
export interface WatchPace {
  minIntervalMs: number;
  maxIntervalMs: number;
}

/** Against the SLNG API: at most 0.7 s between polls, so a poll lands in every stage of 1 s or longer. */
export const REMOTE_PACE: WatchPace = { minIntervalMs: 500, maxIntervalMs: 700 };
/** Against a loopback API (the emulator, whose stages last 0.4 s by default): a poll costs next to nothing. */
export const LOOPBACK_PACE: WatchPace = { minIntervalMs: 250, maxIntervalMs: 250 };

/**
 * How often a watch of a job on `baseUrl` polls. A stage shows how long it took only when a
 * poll sees it (its start is the `updated_at` of that snapshot): a gap shorter than a stage,
 * with room for a request's round trip, never skips it. {@link REMOTE_PACE}, or
 * {@link LOOPBACK_PACE} for the emulator on this machine.
 */
export function watchPace(baseUrl: string): WatchPace {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return REMOTE_PACE;
  }
  return isLoopbackUrl(url) ? LOOPBACK_PACE : REMOTE_PACE;
}
