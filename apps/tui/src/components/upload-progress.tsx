import { Box, Text } from "ink";
import { formatBytes, formatClock, truncate } from "../lib/format.js";

/** Props of {@link UploadProgress}. */
export interface UploadProgressProps {
  filename: string;
  loaded: number;
  total: number;
  phase: "presign" | "upload" | "create" | "done";
  /** Bytes per second over the last few seconds; undefined before there is a measurement. */
  bytesPerSecond?: number | undefined;
  columns: number;
  jobId?: string | undefined;
}

/** The bar itself: `█` for done, `░` for to do. */
export function progressBar(fraction: number, width: number): string {
  const w = Math.max(5, width);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * w);
  return "█".repeat(filled) + "░".repeat(w - filled);
}

/** The upload progress of `submit`: bar, %, bytes sent of total, speed and time left. */
export function UploadProgress(props: UploadProgressProps) {
  const { loaded, total, phase } = props;
  const fraction = total > 0 ? loaded / total : phase === "create" || phase === "done" ? 1 : 0;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const speed = props.bytesPerSecond && props.bytesPerSecond > 0 ? props.bytesPerSecond : undefined;
  const left = speed && total > loaded ? formatClock(((total - loaded) / speed) * 1000) : undefined;
  const label =
    phase === "presign"
      ? "requesting upload URL…"
      : phase === "create"
        ? "creating job…"
        : phase === "done"
          ? `submitted${props.jobId ? ` as ${props.jobId}` : ""}`
          : "uploading";
  const stats = [
    `${formatBytes(loaded)} / ${formatBytes(total)}`,
    speed ? `${formatBytes(speed)}/s` : undefined,
    left && phase === "upload" ? `${left} left` : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
  const barWidth = Math.max(10, Math.min(40, props.columns - stats.length - 10));
  const narrow = props.columns < 60;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{truncate(props.filename, Math.max(10, props.columns - label.length - 4))}</Text>
        <Text dimColor> — {label}</Text>
      </Text>
      <Box flexDirection={narrow ? "column" : "row"} columnGap={1}>
        <Text>
          <Text color={phase === "done" ? "green" : "cyan"}>{progressBar(fraction, barWidth)}</Text> {pct}
        </Text>
        <Text dimColor>{stats}</Text>
      </Box>
    </Box>
  );
}

/** Measures upload speed over a sliding window of samples (bytes per second). */
export class SpeedMeter {
  private samples: { at: number; loaded: number }[] = [];
  constructor(private readonly windowMs = 3000) {}

  /** Records `loaded` bytes at time `at`; returns the current speed, or undefined with too little data. */
  add(at: number, loaded: number): number | undefined {
    this.samples.push({ at, loaded });
    while (this.samples.length > 2 && at - (this.samples[0]?.at ?? at) > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (!first || at - first.at < 200) return undefined;
    return ((loaded - first.loaded) / (at - first.at)) * 1000;
  }
}
