import type { JobStatus } from "@slng/types";

/** Colour of each status (colours are dropped as a whole under NO_COLOR / --no-color). */
export const STATUS_COLOR: Record<JobStatus, string> = {
  QUEUED: "blue",
  IN_PROGRESS: "cyan",
  DECODING: "cyan",
  POST_PROCESSING: "magenta",
  DONE: "green",
  FAILED: "red",
  DELETED: "gray",
};

/** A symbol per status, so state is readable without colour. */
export const STATUS_SYMBOL: Record<JobStatus, string> = {
  QUEUED: "…",
  IN_PROGRESS: "▸",
  DECODING: "▸",
  POST_PROCESSING: "▸",
  DONE: "✓",
  FAILED: "✗",
  DELETED: "⌫",
};
