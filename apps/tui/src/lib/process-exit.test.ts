import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type ExitTarget, ProcessExit } from "./process-exit.js";

/** A stream whose writes complete only when `flush()` is called, like a pipe nobody reads yet. */
function slowStream() {
  const pending: (() => void)[] = [];
  let written = "";
  const stream = Object.assign(new EventEmitter(), {
    destroyed: false,
    writableEnded: false,
    write(chunk: string, cb?: () => void) {
      written += chunk;
      if (cb) pending.push(cb);
      return false;
    },
  });
  return {
    stream,
    flush: () => {
      for (const cb of pending.splice(0)) cb();
    },
    written: () => written,
  };
}

function target() {
  const out = slowStream();
  const err = slowStream();
  const exits: number[] = [];
  const codes: number[] = [];
  const t: ExitTarget = {
    stdout: out.stream as unknown as ExitTarget["stdout"],
    stderr: err.stream as unknown as ExitTarget["stderr"],
    exit: (code) => exits.push(code),
    setExitCode: (code) => codes.push(code),
  };
  return { t, out, err, exits, codes };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("ProcessExit", () => {
  it("exits only once stdout and stderr have drained, with the command's code", async () => {
    const { t, out, err, exits, codes } = target();
    const ending = new ProcessExit(t).finish(4);
    await settle();
    expect(codes).toEqual([4]);
    expect(exits).toEqual([]);
    out.flush();
    await settle();
    expect(exits).toEqual([]);
    err.flush();
    await ending;
    expect(exits).toEqual([4]);
  });

  it("a reader that went away (EPIPE) ends it with 141 and no message", async () => {
    const { t, out, err, exits } = target();
    const pe = new ProcessExit(t);
    // A failed socket is destroyed: nothing more is waited for on it.
    out.stream.destroyed = true;
    (pe as unknown as { onOutputError: (n: string, e: NodeJS.ErrnoException) => void }).onOutputError(
      "standard output",
      Object.assign(new Error("write EPIPE"), { code: "EPIPE" }),
    );
    await settle();
    err.flush();
    await settle();
    await settle();
    expect(exits).toEqual([141]);
    expect(err.written()).toBe("");
  });

  it("any other output failure overrides a success with 2 and says why", async () => {
    const { t, out, err, exits } = target();
    const pe = new ProcessExit(t);
    const ending = pe.finish(0);
    (pe as unknown as { onOutputError: (n: string, e: NodeJS.ErrnoException) => void }).onOutputError(
      "standard output",
      Object.assign(new Error("no space"), { code: "ENOSPC" }),
    );
    out.flush();
    err.flush();
    await ending;
    expect(exits).toEqual([2]);
    expect(err.written()).toContain("could not write to standard output (ENOSPC)");
  });
});
