import { Box, Text } from "ink";
import { cellWidth } from "../lib/cell-width.js";
import { formatBytes, formatClock, truncate } from "../lib/format.js";
import type { UploadPhase, UploadSnapshot } from "../lib/upload-tracker.js";

export { SpeedMeter } from "../lib/upload-tracker.js";

/** Props of {@link UploadProgress}: a snapshot of the submit, the name shown and the width. */
export interface UploadProgressProps extends UploadSnapshot {
  filename: string;
  columns: number;
}

/** What each step of a submit is called on screen. */
export function phaseLabel(phase: UploadPhase, jobId?: string): string {
  switch (phase) {
    case "check":
      return "checking the API key…";
    case "presign":
      return "requesting upload URL…";
    case "upload":
      return "uploading";
    case "create":
      return "creating job…";
    case "done":
      return `submitted${jobId ? ` as ${jobId}` : ""}`;
  }
}

/** Columns kept for the stats next to the bar. */
const STATS_WIDTH = 48;

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
  const seconds = props.secondsLeft ?? (speed && total > loaded ? (total - loaded) / speed : undefined);
  const left = seconds !== undefined ? formatClock(seconds * 1000) : undefined;
  const label = phaseLabel(phase, props.jobId);
  const stats = [
    `${formatBytes(loaded)} / ${formatBytes(total)}`,
    speed ? `${formatBytes(speed)}/s` : undefined,
    left && phase === "upload"
      ? `${left} left`
      : phase === "upload" && props.bytesPerSecond === 0
        ? "stalled"
        : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
  // Sized for the longest usual stats ("292.8 MiB / 292.8 MiB · 18.6 MiB/s · 0:10 left"), so the bar keeps its width as they change.
  const barWidth = Math.max(10, Math.min(40, props.columns - Math.max(STATS_WIDTH, stats.length) - 10));
  const narrow = props.columns < 60;
  return (
    <Box flexDirection="column">
      {cellWidth(props.filename) + label.length + 4 <= props.columns ? (
        <Text wrap="truncate-end">
          <Text bold>{props.filename}</Text>
          <Text dimColor> — {label}</Text>
        </Text>
      ) : (
        // Too narrow for both: the step (with the job id once submitted) on its own line, never cut.
        <>
          <Text bold>{truncate(props.filename, props.columns - 1)}</Text>
          <Text dimColor wrap="truncate-end">
            {"  "}
            {label}
          </Text>
        </>
      )}
      {total > 0 ? (
        <Box flexDirection={narrow ? "column" : "row"} columnGap={1}>
          <Text>
            <Text color={phase === "done" ? "green" : "cyan"}>{progressBar(fraction, barWidth)}</Text> {pct}
          </Text>
          <Text dimColor>{stats}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
