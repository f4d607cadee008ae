/**
 * The exit codes of `slng-batch` (watch, submit --watch, demo and every other command).
 * Job failure, configuration errors, API trouble, timeouts and interrupts each get their own
 * code so scripts can tell them apart (unlike `gh run watch`, where all of them are 1).
 */
export const EXIT = {
  /** The job finished `DONE` (or the command succeeded). */
  ok: 0,
  /** The job ended `FAILED`, was `DELETED`, or expired. */
  jobFailed: 1,
  /** Usage or configuration error (bad flag, missing key…). */
  usage: 2,
  /** Authentication failed, the job was not found, or the API stayed unreachable after retries. */
  api: 3,
  /** `--timeout` was reached before the job finished. */
  timeout: 4,
  /** Interrupted by Ctrl+C (SIGINT) or SIGTERM. */
  interrupted: 130,
} as const;

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code table as shown in `--help` and the README. */
export const EXIT_CODE_HELP = `Exit codes:
  0    the job finished DONE
  1    the job ended FAILED, was DELETED or expired
  2    usage or configuration error
  3    authentication failed, job not found, or API unreachable after retries
  4    --timeout reached
  130  interrupted (Ctrl+C, SIGTERM)
  141  the reader of the output went away (| head), as SIGPIPE would`;

const COMMAND_EXIT_CODES = {
  ok: "  0    done",
  usage: "  2    usage or configuration error (bad flag, no key, a path that cannot be written…)",
  api: "  3    authentication failed, job not found, or API unreachable after retries",
  interrupted: "  130  interrupted (Ctrl+C, SIGTERM)",
  pipe: "  141  the reader of the output went away (| head)",
};

/**
 * The exit codes of one command, for its `--help`: the job-outcome table for the commands that
 * watch a job (watch, submit, demo), the codes that command can really end with otherwise.
 */
export function exitCodeHelp(command: string): string {
  if (command === "watch" || command === "submit" || command === "demo") return EXIT_CODE_HELP;
  const c = COMMAND_EXIT_CODES;
  if (command === "emulator") {
    return `Exit codes:\n  0    stopped (Ctrl+C, SIGTERM)\n  2    a bad option, or it cannot listen (the port is in use, not allowed…)`;
  }
  const lines = [c.ok];
  if (command === "transcript") lines.push("  1    the job is not DONE (no transcript yet, or it FAILED)");
  if (command === "delete") lines.push("  1    the job is still running (only DONE or FAILED jobs can be deleted)");
  lines.push(c.usage, c.api, c.interrupted, c.pipe);
  return `Exit codes:\n${lines.join("\n")}`;
}

/** The exit code a job in `status` (terminal or not) stands for: 0 for DONE, 1 for FAILED/DELETED/expired, else undefined. */
export function exitCodeForJob(job: { status: string; expired_at?: string | null }): ExitCode | undefined {
  if (job.expired_at) return EXIT.jobFailed;
  if (job.status === "DONE") return EXIT.ok;
  if (job.status === "FAILED" || job.status === "DELETED") return EXIT.jobFailed;
  return undefined;
}
