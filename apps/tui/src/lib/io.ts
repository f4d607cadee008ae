import type { ConnectionEvent, JobsApi } from "./api.js";

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

/** Writes a line to stderr as a user-facing error (never a stack trace). */
export function printError(io: Io, message: string): void {
  io.stderr.write(`${io.color ? "\u001b[31merror:\u001b[39m" : "error:"} ${message}\n`);
}
