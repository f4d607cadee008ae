/**
 * Decides whether to use colour: off with `--no-color`, `--json`, `NO_COLOR` (any non-empty
 * value), `TERM=dumb` or `FORCE_COLOR=0`; on with `FORCE_COLOR` ≥ 1; else on when stdout is a TTY.
 */
export function shouldUseColor(opts: {
  noColorFlag: boolean;
  json: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  const { env } = opts;
  if (opts.noColorFlag || opts.json) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return opts.isTTY;
}

/**
 * Applies the decision through `FORCE_COLOR`, which Ink's colour library (chalk) reads when it
 * is first imported — so call this before importing anything that renders.
 */
export function applyColorDecision(useColor: boolean, env: NodeJS.ProcessEnv): void {
  env.FORCE_COLOR = useColor ? (env.FORCE_COLOR && env.FORCE_COLOR !== "0" ? env.FORCE_COLOR : "1") : "0";
}

/** True when the terminal UI (Ink, raw keys) may be used: stdout and stdin are TTYs, not CI, not `--json`, not `TERM=dumb`. */
export function isInteractive(opts: {
  json: boolean;
  stdoutTTY: boolean;
  stdinTTY: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  if (opts.json || !opts.stdoutTTY) return false;
  const ci = opts.env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci !== "false") return false;
  if (opts.env.TERM === "dumb") return false;
  return opts.stdinTTY;
}
