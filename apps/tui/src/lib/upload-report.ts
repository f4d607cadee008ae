import { formatBytes, formatClock, isoStamp } from "./format.js";
import { jsonLine } from "./line-renderer.js";
import type { UploadSnapshot } from "./upload-tracker.js";

/** Without a terminal, a progress line is written at least this often while bytes are sent… */
const LINE_EVERY_MS = 5000;
/** …and, for another 10 %, not sooner than this after the previous one (a fast upload prints 0 % and 100 %). */
const LINE_GAP_MS = 1000;

/** Whole percent of the file sent (100 once the upload is complete). */
export function percentOf(s: UploadSnapshot): number {
  return s.total > 0 ? Math.floor((s.loaded / s.total) * 100) : s.phase === "create" || s.phase === "done" ? 100 : 0;
}

/** The `--json` event for a snapshot: bytes of the file, %, speed and seconds left when known. */
export function progressEvent(s: UploadSnapshot, now: number): string {
  return jsonLine({
    type: "upload_progress",
    timestamp: isoStamp(now),
    phase: s.phase === "done" ? "create" : s.phase,
    loaded: s.loaded,
    total: s.total,
    percent: percentOf(s),
    ...(s.bytesPerSecond !== undefined ? { bytes_per_second: Math.round(s.bytesPerSecond) } : {}),
    ...(s.secondsLeft !== undefined ? { seconds_left: Math.round(s.secondsLeft * 10) / 10 } : {}),
  });
}

/** A timestamped stderr line for a snapshot: `uploading x.wav: 45% · 120.0 MiB of 293.0 MiB · 20.0 MiB/s · 0:09 left`. */
export function progressLine(s: UploadSnapshot, label: string, now: number): string {
  const parts = [`${percentOf(s)}%`, `${formatBytes(s.loaded)} of ${formatBytes(s.total)}`];
  if (s.bytesPerSecond !== undefined) parts.push(`${formatBytes(s.bytesPerSecond)}/s`);
  if (s.secondsLeft !== undefined) parts.push(`${formatClock(s.secondsLeft * 1000)} left`);
  return `${isoStamp(now)}  uploading ${label}: ${parts.join(" · ")}\n`;
}

/**
 * Decides what a submit without a terminal prints. With `--json`: an `upload_progress` event on
 * every phase change and on every clock tick (once a second) while uploading. Otherwise: a
 * stderr line each time another 10 % is sent (at most one a second, 100 % always), and at least every 5 s while uploading.
 */
export class UploadReporter {
  private lastBucket = -1;
  private lastLineAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly write: (text: string) => void,
    private readonly json: boolean,
    private readonly label: string,
  ) {}

  /** After a client progress report (`phaseChanged`: it started a new step). */
  onProgress(s: UploadSnapshot, phaseChanged: boolean, now: number): void {
    if (this.json) {
      if (phaseChanged) this.write(progressEvent(s, now));
      return;
    }
    if (s.total === 0 || (s.phase !== "upload" && s.phase !== "create")) return;
    const bucket = Math.floor(percentOf(s) / 10);
    if (bucket !== this.lastBucket && (bucket === 10 || now - this.lastLineAt >= LINE_GAP_MS))
      this.line(s, bucket, now);
  }

  /** After a clock tick. */
  onTick(s: UploadSnapshot, now: number): void {
    if (s.phase !== "upload" || s.total === 0) return;
    if (this.json) this.write(progressEvent(s, now));
    else if (now - this.lastLineAt >= LINE_EVERY_MS) this.line(s, Math.floor(percentOf(s) / 10), now);
  }

  private line(s: UploadSnapshot, bucket: number, now: number): void {
    this.lastBucket = bucket;
    this.lastLineAt = now;
    this.write(progressLine(s, this.label, now));
  }
}
