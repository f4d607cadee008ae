import { renderLine } from "../components/frame-line.js";
import type { WatchFrame } from "../components/watch-frame.js";
import { eraseRows, SYNC_END, SYNC_START } from "./tick-patch.js";

/** All lines of a frame — the `<Static>` blocks, then the live part — as Ink prints them. */
export function frameLines(frame: WatchFrame, color: boolean): string[] {
  return [...frame.static.flatMap((b) => b.lines), ...frame.live].map((line) => renderLine(line, color));
}

/**
 * Draws the watch view's frames with plain writes while Ink loads (~0.1 s on Node 20), each
 * replacing the last: the loading frame at once, then the job's frame from the first GET. They
 * are the frames the Ink view draws for the same state (one {@link WatchFrame} for both), so
 * when Ink takes over ({@link PlainFrames.handOver}) nothing on screen changes.
 */
export class PlainFrames {
  private rows = 0;

  constructor(
    private readonly out: { write(chunk: string): unknown },
    private readonly color: boolean,
  ) {}

  /** Replaces what was drawn with `frame`; the cursor ends under it, where Ink would leave it. */
  draw(frame: WatchFrame): void {
    const lines = frameLines(frame, this.color);
    const erase = this.rows > 0 ? eraseRows(this.rows) : "";
    this.out.write(`${SYNC_START}${erase}${lines.join("\n")}\n${SYNC_END}`);
    this.rows = lines.length;
  }

  /** Erases the frame inside a synchronized update that Ink's first frame (itself synchronized) ends, so the swap is not seen. */
  handOver(): void {
    if (this.rows > 0) this.out.write(`${SYNC_START}${eraseRows(this.rows)}`);
    this.rows = 0;
  }
}
