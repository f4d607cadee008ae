import type { ConnectionEvent, JobsApi } from "./api.js";
import { isoStamp } from "./format.js";
import { sanitizeLines } from "./sanitize.js";

/** The process surroundings a command runs in (injectable for tests). */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  /** Ink may be used and keys read. */
  interactive: boolean;
  json: boolean;
  color: boolean;
}

/** How a command reaches the API: builds a {@link JobsApi}, optionally reporting connection events. */
export type ApiFactory = (onConnection?: (event: ConnectionEvent) => void) => JobsApi;

/** Writes a line to stderr as a user-facing error (never a stack trace; API text made inert). */
export function printError(io: Io, message: string): void {
  io.stderr.write(`${io.color ? "\u001b[31merror:\u001b[39m" : "error:"} ${sanitizeLines(message)}\n`);
}

/** The `{"type":"error",…}` line that stands for a failed command under `--json`. */
export function errorJsonLine(code: number, message: string, hint?: string): string {
  return `${JSON.stringify({ type: "error", timestamp: isoStamp(Date.now()), exit_code: code, message, ...(hint ? { hint } : {}) })}\n`;
}

/**
 * Reports the error that ends a command with exit `code`: under `--json` as one
 * {@link errorJsonLine} on stdout (every outcome is JSON), else as `error: …` on stderr,
 * followed by `hint` (what to run or change) on its own line; on stderr, text that came from
 * the API is shown with its control characters made visible ({@link sanitizeLines}).
 */
export function reportError(
  io: Pick<Io, "stdout" | "stderr" | "json" | "color">,
  code: number,
  message: string,
  hint?: string,
): void {
  if (io.json) {
    io.stdout.write(errorJsonLine(code, message, hint));
    return;
  }
  const text = `${sanitizeLines(message)}\n${hint ? `${sanitizeLines(hint)}\n` : ""}`;
  io.stderr.write(`${io.color ? "\u001b[31merror:\u001b[39m" : "error:"} ${text}`);
}
