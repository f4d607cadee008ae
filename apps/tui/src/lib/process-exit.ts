import { EXIT, type ExitCode } from "./exit-codes.js";

/** The streams a process ending waits for, and the process it ends (injectable for tests). */
export interface ExitTarget {
  stdout: NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean; isTTY?: boolean };
  stderr: NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean; isTTY?: boolean };
  stdin?: NodeJS.ReadStream;
  exit: (code: number) => void;
  setExitCode: (code: number) => void;
}

const processTarget = (): ExitTarget => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  exit: (code) => process.exit(code),
  setExitCode: (code) => {
    process.exitCode = code;
  },
});

/** How long a command may take to end after SIGINT/SIGTERM before the process ends without it. */
const SIGNAL_FALLBACK_MS = 2000;
/** How long a command that stops on a lost reader (see {@link onOutputLost}) may take to stop. */
const OUTPUT_LOST_FALLBACK_MS = 15_000;

let outputLostHandler: (() => void) | undefined;

/**
 * Lets a running command stop cleanly when the reader of stdout goes away (EPIPE, `| head`):
 * `handler` is called instead of ending the process at once, and the process then ends with 141
 * when the command returns (or after a fallback). Returns a function that removes it.
 */
export function onOutputLost(handler: () => void): () => void {
  outputLostHandler = handler;
  return () => {
    if (outputLostHandler === handler) outputLostHandler = undefined;
  };
}

/**
 * Resolves once everything written to `stream` so far has been handed to the operating system
 * (a pipe's reader may be slow: this waits for it), or the stream has failed or closed.
 */
export function drain(stream: ExitTarget["stdout"]): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      // Writes complete in order: this empty one's callback runs after every earlier write.
      stream.write("", () => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * Ends the process the way a Unix tool does: output written in full before exit, however slow
 * the reader; a reader that went away (EPIPE) ends it quietly with 141 (as SIGPIPE would); any
 * other output failure (a full disk…) is said on stderr and exits 2; SIGINT/SIGTERM always end
 * it with 130 — at once when no command handles them, else after the command had its chance.
 */
export class ProcessExit {
  private ending: Promise<void> | undefined;
  /** The exit code an output failure calls for; it overrides the command's. */
  private outputFailure: 2 | 141 | undefined;

  constructor(private readonly target: ExitTarget = processTarget()) {}

  /** Listens for output errors and signals; call once, before the command runs. */
  install(): void {
    const { stdout, stderr } = this.target;
    stdout.on("error", (error: NodeJS.ErrnoException) => this.onOutputError("standard output", error));
    stderr.on("error", (error: NodeJS.ErrnoException) => this.onOutputError("standard error", error));
    process.on("SIGINT", () => this.onSignal("SIGINT"));
    process.on("SIGTERM", () => this.onSignal("SIGTERM"));
  }

  /**
   * Sets the exit code, waits until stdout and stderr have drained, then exits — with 141 or 2
   * instead when the output failed. The first call wins.
   */
  finish(code: ExitCode | 141): Promise<void> {
    this.ending ??= (async () => {
      this.target.setExitCode(code);
      await Promise.all([drain(this.target.stdout), drain(this.target.stderr)]);
      // A failed write reports its error on a later tick.
      await new Promise((r) => setImmediate(r));
      const final = this.outputFailure ?? code;
      this.target.setExitCode(final);
      // Drained: nothing is lost now, and leftover sockets or timers cannot keep the process alive.
      this.target.exit(final);
    })();
    return this.ending;
  }

  private onOutputError(name: string, error: NodeJS.ErrnoException): void {
    if (this.outputFailure !== undefined) return;
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      this.outputFailure = 141;
      if (name === "standard output" && outputLostHandler) {
        outputLostHandler();
        setTimeout(() => void this.finish(141), OUTPUT_LOST_FALLBACK_MS).unref();
        return;
      }
    } else {
      this.outputFailure = EXIT.usage;
      if (name === "standard output" && !this.target.stderr.destroyed) {
        this.target.stderr.write(`error: could not write to ${name} (${error.code ?? error.message}).\n`);
      }
    }
    void this.finish(this.outputFailure);
  }

  private signals = 0;

  private onSignal(name: "SIGINT" | "SIGTERM"): void {
    this.signals++;
    const { stderr, stdin } = this.target;
    const raw = stdin?.isTTY === true && stdin.isRaw === true;
    // The terminal echoed "^C" where the cursor was: what follows starts on a new line.
    if (name === "SIGINT" && this.signals === 1 && stderr.isTTY && !raw) stderr.write("\n");
    const handledByCommand = process.listenerCount(name) > 1;
    if (!handledByCommand || this.signals > 1) {
      void this.finish(EXIT.interrupted);
      return;
    }
    setTimeout(() => void this.finish(EXIT.interrupted), SIGNAL_FALLBACK_MS).unref();
  }
}
