import type { BatchJob } from "@slng/types";
import { Box, Static, Text } from "ink";
import type { ReactNode } from "react";
import { spinnerFrame } from "../hooks/use-clock.js";
import { connectionDetail, connectionProblem } from "../lib/errors.js";
import type { Eta } from "../lib/eta.js";
import { formatAudioSeconds, formatBytes, formatClock, formatDuration, parseTime, truncate } from "../lib/format.js";
import { STAGES, type StageRecord, stageDuration } from "../lib/timeline.js";
import type { WatchState } from "../lib/watch-controller.js";
import { HelpOverlay } from "./help-overlay.js";
import { KeyBar, type KeyHint } from "./key-bar.js";
import { STATUS_COLOR, STATUS_SYMBOL } from "./theme.js";
import { TranscriptPager, wrapLines } from "./transcript-pager.js";

/** What overlay, if any, the watch view shows. */
export type WatchOverlay =
  | { kind: "none" }
  | { kind: "help" }
  | { kind: "pager"; offset: number }
  | { kind: "confirm-delete" };

/** Props of {@link WatchView}: everything it draws comes from here (a pure component). */
export interface WatchViewProps {
  state: WatchState;
  now: number;
  columns: number;
  rows: number;
  eta?: Eta | undefined;
  overlay?: WatchOverlay;
  /** Keys work (a TTY): show the key bar. */
  interactive?: boolean;
  /** Keep the view open after the job ends (`--stay`, or opened from the dashboard). */
  stay?: boolean;
  /** Print the header and finished stages through `<Static>` (they stay in scrollback). */
  useStatic?: boolean;
  /** Label for `q` (e.g. "back" when opened from the dashboard). */
  quitLabel?: string;
}

/** The keys that do something in this state, for the key bar and the help overlay. */
export function watchKeys(state: WatchState, opts: { stay?: boolean; quitLabel?: string } = {}): KeyHint[] {
  const job = state.job;
  const ended = state.outcome !== undefined;
  const terminal = job !== undefined && (job.status === "DONE" || job.status === "FAILED");
  const finished = terminal || job?.status === "DELETED";
  const keys: KeyHint[] = [
    { key: "q", label: opts.quitLabel ?? (ended || finished ? "quit" : "quit (job keeps running)") },
  ];
  if (!ended && !finished) keys.push({ key: "r", label: "refresh now" });
  if (state.transcript !== undefined) keys.push({ key: "t", label: "transcript" });
  if (state.outputs && state.outputs.length > 0) keys.push({ key: "s", label: "save outputs" });
  if (terminal && (opts.stay || !ended)) keys.push({ key: "d", label: "delete" });
  keys.push({ key: "?", label: "help" });
  return keys;
}

function Header({ job, jobId, columns }: { job: BatchJob | undefined; jobId: string; columns: number }) {
  const tracking = job?.job_config?.tracking;
  const title = [tracking?.title, tracking?.reference].filter(Boolean).join(" · ");
  const meta = job?.input_metadata;
  const facts = [
    meta?.format,
    meta?.size_bytes !== undefined ? formatBytes(meta.size_bytes) : undefined,
    meta?.duration_seconds !== undefined ? `${formatAudioSeconds(meta.duration_seconds)} of audio` : undefined,
    job?.job_config?.transcription_config?.language
      ? `lang ${job.job_config.transcription_config.language}`
      : undefined,
    meta?.source ? `from ${meta.source}` : undefined,
  ].filter(Boolean);
  const submitted = parseTime(job?.submitted_at);
  const narrow = jobId.length + title.length + (job?.model_code?.length ?? 0) + 5 > columns;
  return (
    <Box flexDirection="column">
      <Box flexDirection={narrow ? "column" : "row"} columnGap={2}>
        <Text>
          <Text bold color="cyan">
            {jobId}
          </Text>
          {title ? <Text bold> {truncate(title, Math.max(10, columns - jobId.length - 4))}</Text> : null}
        </Text>
        {job?.model_code ? <Text dimColor>{truncate(job.model_code, columns - 2)}</Text> : null}
      </Box>
      {facts.length > 0 || submitted !== undefined ? (
        <Text dimColor>
          {truncate(
            [
              ...facts,
              submitted !== undefined ? `submitted ${new Date(submitted).toISOString().slice(11, 19)} UTC` : undefined,
            ]
              .filter(Boolean)
              .join(" · "),
            columns - 1,
          )}
        </Text>
      ) : null}
    </Box>
  );
}

function StageRow({
  stage,
  now,
  current,
  width,
}: {
  stage: StageRecord;
  now: number;
  current: boolean;
  width: number;
}) {
  const duration = stageDuration(stage, now);
  const name = stage.status.padEnd(width);
  if (current) {
    return (
      <Text>
        <Text color={STATUS_COLOR[stage.status]}>{spinnerFrame(now)} </Text>
        <Text bold color={STATUS_COLOR[stage.status]}>
          {name}
        </Text>
        <Text> {duration !== undefined ? formatClock(duration) : ""}</Text>
      </Text>
    );
  }
  if (stage.status === "DONE" || stage.status === "FAILED" || stage.status === "DELETED") {
    return (
      <Text>
        <Text color={STATUS_COLOR[stage.status]}>{STATUS_SYMBOL[stage.status]} </Text>
        <Text bold color={STATUS_COLOR[stage.status]}>
          {stage.status}
        </Text>
      </Text>
    );
  }
  return (
    <Text>
      <Text color="green">✓ </Text>
      <Text>{name}</Text>
      <Text dimColor>
        {" "}
        {duration === undefined
          ? ""
          : stage.approximate
            ? duration < 50
              ? "not observed"
              : `≤ ${formatDuration(duration)}`
            : formatDuration(duration)}
      </Text>
    </Text>
  );
}

function PendingRow({ status, width }: { status: string; width: number }) {
  return <Text dimColor>· {status.padEnd(width)}</Text>;
}

function connectionLine(state: WatchState, now: number): ReactNode {
  const c = state.connection;
  if (state.outcome || c.status !== "retrying") return null;
  const offline = c.since !== undefined && now - c.since >= 1000 ? ` for ${formatDuration(now - c.since)}` : "";
  const wait =
    c.retryAt !== undefined && c.retryAt > now ? `retrying in ${Math.ceil((c.retryAt - now) / 1000)} s…` : "retrying…";
  return (
    <Text color="yellow">
      ⚠ {connectionProblem(c.detail)}
      {offline}
      {c.detail ? ` (${truncate(connectionDetail(c.detail), 60)})` : ""} — {wait}
    </Text>
  );
}

function etaText(eta: Eta | undefined, now: number): string | undefined {
  if (!eta) return undefined;
  const left = eta.finishAt - now;
  const basis = `estimate from ${eta.basedOn} recent job${eta.basedOn === 1 ? "" : "s"}`;
  if (left <= 0) return `ETA any moment now (${basis})`;
  return `ETA ~${formatClock(left)} left${eta.fromNow ? " once started" : ""} (${basis})`;
}

/**
 * The live view of one job: header (id, title/reference, model, input metadata), the stage
 * timeline (durations of finished stages, a live timer and spinner on the current one),
 * elapsed time, an ETA when there is data for one, the connection line while the API is
 * unreachable, outputs and the first transcript lines on DONE, the error on FAILED, the key
 * bar and overlays (help, transcript pager, delete confirmation). It keeps the live part
 * shorter than `rows`.
 */
export function WatchView(props: WatchViewProps) {
  const { state, now, columns, rows } = props;
  const overlay = props.overlay ?? { kind: "none" };
  const job = state.job;
  const stages = state.timeline.stages;
  const width = Math.max(...STAGES.map((s) => s.length)) + 1;
  const terminalStatus = job && (job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED");
  const ended = state.outcome !== undefined;

  const finishedIdx = stages.filter((s) => s.endedAt !== undefined && (STAGES as readonly string[]).includes(s.status));
  const useStatic = props.useStatic === true;
  const staticItems: { key: string; node: ReactNode }[] = [];
  if (useStatic && job) {
    staticItems.push({ key: "header", node: <Header job={job} jobId={state.jobId} columns={columns} /> });
    for (const s of finishedIdx) {
      staticItems.push({
        key: `stage-${s.status}`,
        node: <StageRow stage={s} now={now} current={false} width={width} />,
      });
    }
  }
  const liveStages = useStatic ? stages.filter((s) => !finishedIdx.includes(s)) : stages;
  const reached = new Set(stages.map((s) => s.status));
  const pending = terminalStatus || !job ? [] : STAGES.filter((s) => !reached.has(s));
  const keys = watchKeys(state, {
    ...(props.stay !== undefined ? { stay: props.stay } : {}),
    ...(props.quitLabel ? { quitLabel: props.quitLabel } : {}),
  });
  const submitted = parseTime(job?.submitted_at);
  const completed = parseTime(job?.completed_at);
  const elapsed =
    submitted !== undefined ? (terminalStatus && completed !== undefined ? completed : now) - submitted : undefined;
  const eta = etaText(props.eta, now);
  const showKeys = props.interactive === true && (!ended || props.stay === true);

  const staticBlock = useStatic ? (
    <Static items={staticItems}>{(item) => <Box key={item.key}>{item.node}</Box>}</Static>
  ) : null;

  if (overlay.kind === "help") {
    return (
      <>
        {staticBlock}
        <HelpOverlay title="watch" keys={keys} />
      </>
    );
  }
  if (overlay.kind === "pager" && state.transcript !== undefined) {
    return (
      <>
        {staticBlock}
        <TranscriptPager
          lines={wrapLines(state.transcript, columns - 2)}
          offset={overlay.offset}
          height={Math.max(3, rows - 3)}
        />
      </>
    );
  }

  // Lines used so far by the live part; the transcript preview gets what is left of the window.
  const fixed =
    (useStatic ? 0 : 3) + liveStages.length + pending.length + 5 + (showKeys ? Math.ceil(keys.length / 4) : 1);
  const previewBudget = Math.max(0, Math.min(6, rows - fixed - 2));
  const preview = state.transcript !== undefined ? wrapLines(state.transcript.trim(), columns - 6) : [];

  return (
    <>
      {staticBlock}
      <Box flexDirection="column" width={columns}>
        {!useStatic || !job ? <Header job={job} jobId={state.jobId} columns={columns} /> : null}
        {!job && !ended ? (
          <Text dimColor>
            {spinnerFrame(now)} {state.connection.status === "retrying" ? "waiting for the API…" : "loading job…"}
          </Text>
        ) : null}
        {liveStages.map((s) => (
          <StageRow
            key={s.status}
            stage={s}
            now={now}
            current={s.endedAt === undefined && !terminalStatus}
            width={width}
          />
        ))}
        {pending.map((s) => (
          <PendingRow key={s} status={s} width={width} />
        ))}
        {job && !terminalStatus ? <PendingRow status="DONE" width={width} /> : null}
        {job ? (
          <Text>
            <Text dimColor>{terminalStatus ? "Took " : "Elapsed "}</Text>
            {elapsed !== undefined ? formatClock(elapsed) : "—"}
            {eta && !terminalStatus ? <Text dimColor> · {eta}</Text> : null}
          </Text>
        ) : null}
        {connectionLine(state, now)}
        {job?.status === "FAILED" ? (
          <Text color="red">Error: {job.error_message?.message ?? "the job failed (no message)"}</Text>
        ) : null}
        {job?.expired_at ? (
          <Text color="yellow">Expired at {job.expired_at}: outputs are no longer available.</Text>
        ) : null}
        {state.outputs && state.outputs.length > 0 ? (
          <Text>
            <Text dimColor>Outputs </Text>
            {state.outputs.map((o) => o.format).join(", ")}
          </Text>
        ) : null}
        {state.transcriptError ? <Text color="yellow">Transcript not loaded: {state.transcriptError}</Text> : null}
        {preview.length > 0 && previewBudget > 0 ? (
          <Box flexDirection="column" paddingLeft={1}>
            {preview.slice(0, previewBudget).map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              <Text key={i}>
                <Text dimColor>│ </Text>
                {line}
              </Text>
            ))}
            {preview.length > previewBudget ? (
              <Text dimColor>
                └ {preview.length - previewBudget} more line{preview.length - previewBudget === 1 ? "" : "s"}
                {showKeys ? " — t to read all" : ` — slng-batch transcript ${state.jobId}`}
              </Text>
            ) : null}
          </Box>
        ) : null}
        {state.notice ? <Text color="cyan">{state.notice}</Text> : null}
        {overlay.kind === "confirm-delete" ? (
          <Text color="yellow" bold>
            Delete job {state.jobId} and its outputs? y/N
          </Text>
        ) : null}
        {state.outcome && !showKeys ? (
          <Text dimColor>
            {state.outcome.code === 0 ? "✓" : "✗"} {state.outcome.reason} · exit code {state.outcome.code}
          </Text>
        ) : null}
        {showKeys && overlay.kind !== "confirm-delete" ? <KeyBar keys={keys} columns={columns} /> : null}
      </Box>
    </>
  );
}
