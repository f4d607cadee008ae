import { EventEmitter } from "node:events";
import { Text } from "ink";
import { useEffect } from "react";
import { describe, expect, it, vi } from "vitest";
import { runInk } from "./ink-runner.js";
import type { Io } from "./io.js";

function fakeIo(): Io & { written: () => string } {
  let out = "";
  const stdout = Object.assign(new EventEmitter(), {
    columns: 80,
    rows: 24,
    isTTY: true,
    write: (chunk: string, cb?: () => void) => {
      out += chunk;
      cb?.();
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    setRawMode(raw: boolean) {
      this.isRaw = raw;
    },
    setEncoding() {},
    read: () => null,
    ref() {},
    unref() {},
    pause() {},
    resume() {},
  });
  return {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env: {},
    interactive: true,
    json: false,
    color: false,
    written: () => out,
  };
}

function ExitsAtOnce({ onExit }: { onExit: () => void }) {
  useEffect(() => onExit(), [onExit]);
  return <Text>final frame</Text>;
}

describe("runInk", () => {
  it("exits when the app asks to during its first render (before render() returned)", async () => {
    const io = fakeIo();
    const onSignal = vi.fn();
    await expect(runInk(io, (exit) => <ExitsAtOnce onExit={exit} />, onSignal)).resolves.toEqual({});
    expect(io.written()).toContain("final frame");
    expect(io.written().endsWith("\u001b[?25h")).toBe(true);
    expect(onSignal).not.toHaveBeenCalled();
  });

  it("a signal the app ignores still ends the run, reported as that signal", async () => {
    vi.useFakeTimers();
    try {
      const io = fakeIo();
      const onSignal = vi.fn();
      const done = runInk(io, () => <Text>stays open</Text>, onSignal);
      process.emit("SIGTERM", "SIGTERM");
      expect(onSignal).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(done).resolves.toEqual({ signal: "SIGTERM" });
    } finally {
      vi.useRealTimers();
    }
  });
});
