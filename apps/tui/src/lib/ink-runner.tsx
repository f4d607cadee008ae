import { render } from "ink";
import type { ReactElement } from "react";
import { inkStdout } from "./ink-stdout.js";
import type { Io } from "./io.js";

/** How an Ink run ended: by the app itself, or by a signal from outside. */
export interface InkRunResult {
  /** Set when SIGINT or SIGTERM ended the run (the command then exits 130). */
  signal?: "SIGINT" | "SIGTERM";
}

/** How long the app may take to draw its final frame after a signal before the runner unmounts it. */
const SIGNAL_GRACE_MS = 500;

/**
 * Renders an Ink element for a command and resolves once it has exited and the terminal is
 * restored (cursor shown, cooked mode, stdin released). The `exit` given to `build` works at
 * any time, including while Ink is still mounting: an app that already knows its end during
 * its first render (a watch whose first poll found the job FAILED) exits at once.
 *
 * Ctrl+C as a key is left to the app (`exitOnCtrlC: false`) so it can abort work and print its
 * final frame. SIGINT/SIGTERM from outside call `onSignal` the same way, and the run ends even
 * if the app does nothing: after a short grace, or at once on a second signal.
 */
export async function runInk(
  io: Io,
  build: (exit: () => void) => ReactElement,
  onSignal: (exit: () => void) => void,
): Promise<InkRunResult> {
  const result: InkRunResult = {};
  let unmount: (() => void) | undefined;
  let exitRequested = false;
  let grace: NodeJS.Timeout | undefined;
  const exit = () => {
    exitRequested = true;
    unmount?.();
  };
  const signal = (name: "SIGINT" | "SIGTERM") => {
    if (result.signal) return exit();
    result.signal = name;
    onSignal(exit);
    grace = setTimeout(exit, SIGNAL_GRACE_MS);
  };
  const onSigint = () => signal("SIGINT");
  const onSigterm = () => signal("SIGTERM");
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  try {
    const instance = render(build(exit), {
      stdout: inkStdout(io.stdout),
      stdin: io.stdin,
      stderr: io.stderr,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    unmount = () => instance.unmount();
    try {
      // The app may have asked to exit during its first render, before `unmount` existed.
      if (exitRequested) instance.unmount();
      await instance.waitUntilExit();
    } finally {
      instance.cleanup();
    }
  } finally {
    if (grace) clearTimeout(grace);
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    restoreTerminal(io);
  }
  return result;
}

/** Puts the terminal back as the shell expects it: cooked mode, cursor shown, stdin released. */
export function restoreTerminal(io: Pick<Io, "stdin" | "stdout">): void {
  if (io.stdin.isTTY && io.stdin.isRaw) io.stdin.setRawMode(false);
  io.stdin.pause();
  if (io.stdout.isTTY && !io.stdout.destroyed) io.stdout.write("\u001b[?25h");
}
