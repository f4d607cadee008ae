/** The terminal's real row count (24 when unknown), read by {@link terminalRows} through an {@link inkStdout}. */
const REAL_ROWS = Symbol.for("slng-batch.real-rows");

/** Rows Ink is told the terminal has: more than any frame, so it never takes a frame for full-screen. */
const INK_ROWS = 10_000;

/**
 * The stdout Ink draws on. It is `stdout` with an unknown size (a 0×0 pty, as `script`
 * gives) read as 80 columns, and a row count Ink never reaches: Ink clears the whole screen
 * and the scrollback (`ESC[2J ESC[3J`) whenever the last frame was as tall as the window — on
 * every frame in a 0×0 pty, and after the window shrinks. The views keep their frames shorter
 * than the real window themselves ({@link terminalRows}).
 */
export function inkStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === "columns") return target.columns || 80;
      if (prop === "rows") return INK_ROWS;
      if (prop === REAL_ROWS) return target.rows || 24;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The real row count of `stdout` (24 when unknown), also through an {@link inkStdout}. */
export function terminalRows(stdout: NodeJS.WriteStream): number {
  const real = (stdout as unknown as Record<symbol, unknown>)[REAL_ROWS];
  return typeof real === "number" ? real : stdout.rows || 24;
}
