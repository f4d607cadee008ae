import { SlngValidationError } from "./errors.js";
import { env } from "./platform.js";

/** How much the client logs: nothing, failures, retries, one line per attempt, or every exchange with headers. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** A console-compatible logger (`console` itself works): one method per level. */
export interface SlngLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** The client's log: a writer per enabled level (absent when that level is off); every line scrubbed. */
export interface Log {
  error?: ((line: string) => void) | undefined;
  warn?: ((line: string) => void) | undefined;
  info?: ((line: string) => void) | undefined;
  debug?: ((line: string) => void) | undefined;
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * Builds the log from `logLevel` (else `SLNG_LOG`, else `info` when a logger is given, else
 * `off`) and `logger` (default: every level to stderr, so a CLI's stdout stays clean; a line function gets every enabled level, or, with no
 * level set, only the `info` line per attempt it always had). `scrub` runs on every line, so no
 * key or signature reaches the logger.
 */
export function makeLog(
  level: LogLevel | undefined,
  logger: SlngLogger | ((line: string) => void) | undefined,
  scrub: (s: string) => string,
): Log {
  const fromEnv = env("SLNG_LOG")?.toLowerCase() as LogLevel | undefined;
  const chosen = level ?? (fromEnv && LEVELS.includes(fromEnv) ? fromEnv : logger ? "info" : "off");
  const rank = LEVELS.indexOf(chosen);
  if (rank < 0)
    throw new SlngValidationError(
      `logLevel must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(level)}`,
      "logLevel",
    );
  const out = logger ?? ((line: string) => console.error(line));
  const lineOnly = typeof logger === "function" && !level && !fromEnv;
  const log: Log = {};
  for (const name of ["error", "warn", "info", "debug"] as const)
    if (LEVELS.indexOf(name) <= rank && (!lineOnly || name === "info"))
      log[name] = (line) => (typeof out === "function" ? out(scrub(line)) : out[name](scrub(line)));
  return log;
}

/** Header names whose values are credentials: never logged. */
const SECRET = /auth|cookie|key|token|secret|signature|credential|session/i;

/** `name: value` pairs of `headers` for a debug line, credentials replaced by `[REDACTED]`. */
export function showHeaders(headers: Headers): string {
  const out: string[] = [];
  headers.forEach((v, k) => {
    out.push(`${k}: ${SECRET.test(k) ? "[REDACTED]" : v}`);
  });
  return `{${out.join(", ")}}`;
}
