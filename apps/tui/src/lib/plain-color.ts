import type { JobStatus } from "@slng/types";

const SGR: Record<string, number> = { blue: 34, cyan: 36, magenta: 35, green: 32, red: 31, gray: 90 };

const STATUS_SGR: Record<JobStatus, number> = {
  QUEUED: SGR.blue as number,
  IN_PROGRESS: SGR.cyan as number,
  DECODING: SGR.cyan as number,
  POST_PROCESSING: SGR.magenta as number,
  DONE: SGR.green as number,
  FAILED: SGR.red as number,
  DELETED: SGR.gray as number,
};

/**
 * `text` in the colour of `status` (as the terminal UI shows it) when `color` is on — for the
 * plain-text outputs (watch lines, the jobs table), so `FORCE_COLOR` colours them in a pipe too.
 */
export function paintStatus(text: string, status: string, color: boolean): string {
  const code = STATUS_SGR[status as JobStatus];
  return color && code !== undefined ? `\u001b[${code}m${text}\u001b[39m` : text;
}
