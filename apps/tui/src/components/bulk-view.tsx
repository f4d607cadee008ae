import { Box, Text } from "ink";
import { type BulkViewState, estimateMsLeft, throughput } from "../lib/bulk-model.js";
import { formatBytes, formatClock, truncate } from "../lib/format.js";
import { sanitize } from "../lib/sanitize.js";
import { progressBar } from "./upload-progress.js";

/** Props of {@link BulkView}. */
export interface BulkViewProps {
  state: BulkViewState;
  now: number;
  columns: number;
  /** Show the key hints (a terminal that reads keys). */
  keys: boolean;
}

const MAX_UPLOADS = 6;

function hours(seconds: number): string {
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

function Counts({ state }: { state: BulkViewState }) {
  const c = state.counts;
  const items: [string, number, string][] = [
    ["uploading", c.uploading, "cyan"],
    ["queued", c.queued, "blue"],
    ["processing", c.processing + c.downloading, "magenta"],
    ["done", c.done, "green"],
    ["failed", c.failed, "red"],
    ["waiting", c.pending, "gray"],
  ];
  return (
    <Text wrap="wrap">
      {items.map(([label, n, color], i) => (
        <Text key={label}>
          {i > 0 ? <Text dimColor> · </Text> : null}
          <Text color={n > 0 ? color : undefined} dimColor={n === 0}>
            {label} {n}
          </Text>
        </Text>
      ))}
    </Text>
  );
}

function Uploads({ state, columns }: { state: BulkViewState; columns: number }) {
  const uploads = [...state.uploads.values()].slice(0, MAX_UPLOADS);
  if (uploads.length === 0) return null;
  const nameWidth = Math.max(12, Math.min(40, columns - 40));
  const barWidth = Math.max(8, Math.min(20, columns - nameWidth - 24));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor>Uploading</Text>
      {uploads.map((u) => {
        const fraction = u.total > 0 ? u.loaded / u.total : 0;
        return (
          <Text key={u.key} wrap="truncate-end">
            {"  "}
            {truncate(sanitize(u.key), nameWidth).padEnd(nameWidth)}{" "}
            <Text color="cyan">{progressBar(fraction, barWidth)}</Text> {`${Math.floor(fraction * 100)}%`.padStart(4)}{" "}
            <Text dimColor>{formatBytes(u.total)}</Text>
          </Text>
        );
      })}
      {state.uploads.size > MAX_UPLOADS ? <Text dimColor> … {state.uploads.size - MAX_UPLOADS} more</Text> : null}
    </Box>
  );
}

function Failures({ state }: { state: BulkViewState }) {
  if (state.failures.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor>Last failures</Text>
      {state.failures.map((f) => (
        <Text key={f.key} wrap="wrap">
          {"  "}
          <Text color="red">✗</Text> {sanitize(f.key)} <Text dimColor>—</Text> {sanitize(f.error)}
        </Text>
      ))}
    </Box>
  );
}

function Footer({ state, keys }: { state: BulkViewState; keys: boolean }) {
  const s = state.summary;
  if (state.fatal) return <Text color="red">✗ stopped: {sanitize(state.fatal)}</Text>;
  if (s && !s.detached)
    return s.failed.length ? (
      <Text color="red">
        ✗ finished: {s.failed.length} failed · report in {sanitize(state.outDir)}/bulk-report.json
      </Text>
    ) : (
      <Text color="green">
        ✓ all {s.total} saved in {sanitize(state.outDir)}
      </Text>
    );
  if (state.stopping)
    return (
      <Text color="yellow">
        {state.stopping === "detach" ? "detaching" : "interrupted"}: jobs keep running · run the same command again to
        resume
      </Text>
    );
  return keys ? <Text dimColor>q detach (jobs keep running, a rerun resumes) · Ctrl+C stop</Text> : null;
}

/**
 * The live view of `slng-batch bulk`: overall bar, counts by state, audio, throughput, ETA,
 * uploads, failures. File names and API errors are shown with control characters made visible.
 */
export function BulkView({ state, now, columns, keys }: BulkViewProps) {
  const finished = state.counts.done + state.counts.failed;
  const fraction = state.total > 0 ? finished / state.total : 0;
  const rate = throughput(state, now);
  const left = estimateMsLeft(state, now);
  const barWidth = Math.max(10, Math.min(50, columns - 30));
  const stats = [
    `audio done ${hours(state.audioSecondsDone)}`,
    rate !== undefined ? `${rate.toFixed(1)} audio h/h` : undefined,
    left !== undefined && !state.summary ? `ETA ~${formatClock(left)} (estimate)` : undefined,
    state.concurrency !== undefined ? `concurrency ${state.concurrency}` : undefined,
  ].filter(Boolean);
  const limited = state.rateLimitedUntil !== undefined && state.rateLimitedUntil > now;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>slng-batch bulk</Text>
        <Text dimColor>
          {" "}
          → {sanitize(state.outDir)} · {formatClock(now - state.startedAt)}
        </Text>
      </Text>
      <Text>
        <Text color={state.counts.failed ? "yellow" : "green"}>{progressBar(fraction, barWidth)}</Text> {finished}/
        {state.total} finished {`${Math.floor(fraction * 100)}%`}
      </Text>
      <Counts state={state} />
      <Text wrap="wrap" dimColor>
        {stats.join(" · ")}
      </Text>
      {limited ? <Text color="yellow">rate limited (429): pausing new uploads</Text> : null}
      <Uploads state={state} columns={columns} />
      <Failures state={state} />
      <Box marginTop={1}>
        <Footer state={state} keys={keys} />
      </Box>
    </Box>
  );
}
