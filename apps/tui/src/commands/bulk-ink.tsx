import type { BulkEvent, BulkRunHandle } from "@slng/bulk";
import { render } from "ink";
import { BulkScreen } from "../components/bulk-screen.js";
import { BulkViewStore } from "../lib/bulk-store.js";
import type { Io } from "../lib/io.js";

/**
 * Draws the bulk view until the run ends (or `q`/Ctrl+C stop it), then unmounts and restores
 * the terminal. The run's events feed the store from here, outside React, so the end of the run
 * — not a render — decides when the view exits.
 */
export async function runBulkInk(
  io: Io,
  run: BulkRunHandle,
  outDir: string,
  stop: (kind: "detach" | "interrupt") => void,
): Promise<void> {
  const store = new BulkViewStore(outDir);
  const onStop = (kind: "detach" | "interrupt") => {
    store.stopping(kind);
    stop(kind);
  };
  const instance = render(
    <BulkScreen store={store} onDetach={() => onStop("detach")} onInterrupt={() => onStop("interrupt")} />,
    { stdout: io.stdout, stdin: io.stdin, stderr: io.stderr, exitOnCtrlC: false, patchConsole: false },
  );
  const signal = () => onStop("interrupt");
  process.on("SIGINT", signal);
  process.on("SIGTERM", signal);
  try {
    for await (const e of run as AsyncIterable<BulkEvent>) store.apply(e);
    store.notify();
    await new Promise((r) => setTimeout(r, 30));
  } finally {
    process.off("SIGINT", signal);
    process.off("SIGTERM", signal);
    store.dispose();
    instance.unmount();
    await instance.waitUntilExit().catch(() => {});
    instance.cleanup();
    if (io.stdin.isTTY && io.stdin.isRaw) io.stdin.setRawMode(false);
    io.stdin.pause();
  }
}
