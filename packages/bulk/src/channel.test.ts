import { describe, expect, it } from "vitest";
import { Channel } from "./channel.js";

const never = new AbortController().signal;
/** "room" when `p` has resolved once pending callbacks ran (a macrotask later), else "waiting". */
async function state(p: Promise<void>): Promise<string> {
  let seen = "waiting";
  p.then(() => {
    seen = "room";
  });
  await new Promise((r) => setImmediate(r));
  return seen;
}

describe("Channel backpressure", () => {
  it("room waits while highWater values are queued and a reader is attached, and frees once it reads", async () => {
    const ch = new Channel<number>(3);
    const reader = ch[Symbol.asyncIterator]();
    ch.push(0);
    expect(await reader.next()).toEqual({ value: 0, done: false });
    for (const v of [1, 2, 3]) ch.push(v);
    const room = ch.room(never);
    expect(await state(room)).toBe("waiting");
    expect(await reader.next()).toEqual({ value: 1, done: false });
    expect(await state(room)).toBe("room");
    expect(ch.size).toBe(2);
  });

  it("never waits when nobody reads (a caller that only awaits the result), after end, or once aborted", async () => {
    const ch = new Channel<number>(1);
    for (const v of [1, 2, 3]) ch.push(v);
    expect(await state(ch.room(never))).toBe("room");
    const reader = ch[Symbol.asyncIterator]();
    await reader.next();
    const stop = new AbortController();
    const waiting = ch.room(stop.signal);
    expect(await state(waiting)).toBe("waiting");
    stop.abort();
    expect(await state(waiting)).toBe("room");
    const ended = ch.room(never);
    ch.end();
    expect(await state(ended)).toBe("room");
  });

  it("a reader that stops early (break) frees the producers", async () => {
    const ch = new Channel<number>(1);
    const reader = ch[Symbol.asyncIterator]();
    ch.push(1);
    ch.push(2);
    await reader.next();
    ch.push(3);
    const waiting = ch.room(never);
    expect(await state(waiting)).toBe("waiting");
    await reader.return?.();
    expect(await state(waiting)).toBe("room");
  });
});
