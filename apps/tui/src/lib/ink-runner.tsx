import { render } from "ink";
import type { ReactElement } from "react";
import type { Io } from "./io.js";

/**
 * Renders an Ink element for a command and resolves once it has exited and the terminal is
 * restored. Ctrl+C is left to the app (`exitOnCtrlC: false`) so it can abort work and print
 * its final frame; SIGINT/SIGTERM from outside call `onSignal` the same way.
 */
export async function runInk(
  io: Io,
  build: (exit: () => void) => ReactElement,
  onSignal: (exit: () => void) => void,
): Promise<void> {
  let exitFn: () => void = () => {};
  const element = build(() => exitFn());
  const instance = render(element, {
    stdout: io.stdout,
    stdin: io.stdin,
    stderr: io.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  exitFn = () => instance.unmount();
  const signal = () => onSignal(() => instance.unmount());
  process.on("SIGINT", signal);
  process.on("SIGTERM", signal);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off("SIGINT", signal);
    process.off("SIGTERM", signal);
    instance.cleanup();
    if (io.stdin.isTTY && io.stdin.isRaw) io.stdin.setRawMode(false);
    io.stdin.pause();
  }
}
