import type { BatchJob } from "@slng/types";
import { cellWidth } from "../lib/cell-width.js";
import { connectionDetail, connectionProblem } from "../lib/errors.js";
import type { Eta } from "../lib/eta.js";
import { formatAudioSeconds, formatBytes, formatClock, formatDuration, parseTime, truncate } from "../lib/format.js";
import { sanitizeWatchState } from "../lib/sanitize.js";
import { spinnerFrame } from "../lib/spinner.js";
import { STAGES, type StageRecord, stageDuration } from "../lib/timeline.js";
import type { WatchState } from "../lib/watch-controller.js";
import { wrapLines } from "../lib/wrap-lines.js";
import { type FrameLine, fitLine, type Span, span } from "./frame-line.js";
import type { KeyHint } from "./key-bar.js";
import { keyBarLines } from "./key-bar-lines.js";
import { STATUS_COLOR, STATUS_SYMBOL } from "./theme.js";

/** What overlay, if any, the watch view shows. */
export type WatchOverlay =
  | { kind: "none" }
  | { kind: "help" }
  | { kind: "pager"; offset: number }
  | { kind: "confirm-delete" };

/** Props of the watch view: everything it draws comes from here (a pure function of them). */
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

/** A block printed once above the live part (Ink's `<Static>`): the header, then each finished stage. */
export interface StaticBlock {
  key: string;
  lines: FrameLine[];
}

/** The watch view as lines: what goes to `<Static>` and the live part redrawn in place. */
export interface WatchFrame {
  static: StaticBlock[];
  live: FrameLine[];
}

const TERMINAL = new Set(["DONE", "FAILED", "DELETED"]);
const NAME_WIDTH = Math.max(...STAGES.map((s) => s.length)) + 1;

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

/** `parts` joined with `sep` into as few lines of at most `width` columns as they fit in (none when empty). */
function joinWithin(parts: string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && cellWidth(last + sep + part) <= width) lines[lines.length - 1] = last + sep + part;
    else lines.push(part);
  }
  return lines;
}

/** The job id with title/reference and model (one line, or two when they do not fit), then the input facts (on a second line rather than cut). */
export function headerLines(job: BatchJob | undefined, jobId: string, columns: number): FrameLine[] {
  const tracking = job?.job_config?.tracking;
  const title = [tracking?.title, tracking?.reference].filter(Boolean).join(" · ");
  const meta = job?.input_metadata;
  const language = job?.job_config?.transcription_config?.language;
  const submitted = parseTime(job?.submitted_at);
  const facts = [
    meta?.format,
    meta?.size_bytes !== undefined ? formatBytes(meta.size_bytes) : undefined,
    meta?.duration_seconds !== undefined ? `${formatAudioSeconds(meta.duration_seconds)} of audio` : undefined,
    language ? `lang ${language}` : undefined,
    meta?.source ? `from ${meta.source}` : undefined,
    submitted !== undefined ? `submitted ${new Date(submitted).toISOString().slice(11, 19)} UTC` : undefined,
  ].filter(Boolean);
  const id: Span[] = [span(jobId, { bold: true, color: "cyan" })];
  if (title) id.push(span(` ${truncate(title, Math.max(10, columns - jobId.length - 4))}`, { bold: true }));
  const model = job?.model_code ? span(truncate(job.model_code, columns - 2), { dim: true }) : undefined;
  const narrow = jobId.length + title.length + (job?.model_code?.length ?? 0) + 5 > columns;
  const lines: FrameLine[] = [];
  if (!model) lines.push(id);
  else if (narrow) lines.push(id, [model]);
  else lines.push([...id, span("  "), model]);
  for (const text of joinWithin(facts as string[], " · ", columns - 1))
    lines.push([span(truncate(text, columns - 1), { dim: true })]);
  return lines;
}

/**
 * One stage of the timeline: finished (✓ and its duration), current (spinner and live timer),
 * the end state, or — `stopped` — the stage the job was last seen in when the watch gave up.
 */
export function stageLine(stage: StageRecord, now: number, current: boolean, stopped = false): FrameLine {
  const duration = stageDuration(stage, now);
  const color = STATUS_COLOR[stage.status];
  const name = stage.status.padEnd(NAME_WIDTH);
  if (stopped && stage.endedAt === undefined && !TERMINAL.has(stage.status)) {
    const seen = duration !== undefined ? `${formatClock(duration)} ` : "";
    return [
      span("· ", { color }),
      span(name, { bold: true, color }),
      span(` ${seen}when the watch stopped`, { dim: true }),
    ];
  }
  if (current) {
    return [
      span(`${spinnerFrame(now)} `, { color }),
      span(name, { bold: true, color }),
      span(` ${duration !== undefined ? formatClock(duration) : ""}`),
    ];
  }
  if (TERMINAL.has(stage.status)) {
    return [span(`${STATUS_SYMBOL[stage.status]} `, { color }), span(stage.status, { bold: true, color })];
  }
  const took =
    duration === undefined
      ? ""
      : stage.approximate
        ? duration < 50
          ? "not observed"
          : `≤ ${formatDuration(duration)}`
        : formatDuration(duration);
  return [span("✓ ", { color: "green" }), span(name), span(` ${took}`, { dim: true })];
}

function connectionText(state: WatchState, now: number): string | undefined {
  const c = state.connection;
  if (state.outcome || c.status !== "retrying") return undefined;
  const offline = c.since !== undefined && now - c.since >= 1000 ? ` for ${formatDuration(now - c.since)}` : "";
  const wait =
    c.retryAt !== undefined && c.retryAt > now ? `retrying in ${Math.ceil((c.retryAt - now) / 1000)} s…` : "retrying…";
  const detail = c.detail ? ` (${truncate(connectionDetail(c.detail), 60)})` : "";
  return `⚠ ${connectionProblem(c.detail)}${offline}${detail} — ${wait}`;
}

function etaText(eta: Eta | undefined, now: number): string | undefined {
  if (!eta) return undefined;
  const left = eta.finishAt - now;
  const basis = `estimate from ${eta.basedOn} recent job${eta.basedOn === 1 ? "" : "s"}`;
  if (left <= 0) return `ETA any moment now (${basis})`;
  return `ETA ~${formatClock(left)} left${eta.fromNow ? " once started" : ""} (${basis})`;
}

/** A message in one style, wrapped to the window (Ink would wrap it the same way: at spaces). */
function message(text: string, style: Omit<Span, "text">, columns: number): FrameLine[] {
  return wrapLines(text, columns).map((line) => [span(line, style)]);
}

/**
 * A dim hint under the transcript preview: `parts` joined on one line when they fit, else each
 * on its own line, and a command that still does not fit breaks before its last word (the job
 * id), so an id to paste is cut only when the window is narrower than the id itself.
 */
function hintLines(parts: string[], columns: number): FrameLine[] {
  const fits = (text: string, indent: number) => indent + cellWidth(text) <= columns;
  const line = (text: string, indent: number): FrameLine => [span(" ".repeat(indent)), span(text, { dim: true })];
  const joined = parts.join(" ");
  if (parts.length === 1 || fits(joined, 1)) return [line(joined, 1)];
  const [head, ...rest] = parts as [string, ...string[]];
  const lines = [line(head, 1)];
  for (const part of rest) {
    const cut = part.lastIndexOf(" ");
    if (fits(part, 3) || cut < 0) lines.push(line(part, 3));
    else lines.push(line(`${part.slice(0, cut)} \\`, 3), line(part.slice(cut + 1), 5));
  }
  return lines;
}

/** The transcript's first lines (as many as `budget` allows) and how many more there are. */
function previewLines(props: WatchViewProps, budget: number, showKeys: boolean): FrameLine[] {
  const { columns } = props;
  const state = sanitizeWatchState(props.state);
  if (state.transcript === undefined || budget <= 0) return [];
  const preview = wrapLines(state.transcript.trim(), columns - 6);
  const lines: FrameLine[] = preview.slice(0, budget).map((line) => [span(" "), span("│ ", { dim: true }), span(line)]);
  const more = preview.length - budget;
  if (more > 0) {
    const count = `└ ${more} more line${more === 1 ? "" : "s"}`;
    const command = `slng-batch transcript ${state.jobId}`;
    lines.push(...hintLines(showKeys ? [`${count} — t to read all`] : [`${count}:`, command], columns));
  }
  return lines;
}

/**
 * The watch view as lines (a pure function of its props, so Ink, the plain-text first frame and
 * the tick patcher draw the same thing): header (id, title/reference, model, input metadata),
 * the stage timeline (durations of finished stages, a live timer and spinner on the current
 * one), elapsed time, an ETA when there is data for one, the connection line while the API is
 * unreachable, outputs and the first transcript lines on DONE, the error on FAILED, notices,
 * the delete prompt, the final status line or the key bar. The live part stays shorter than
 * `rows`; every line fits in `columns`. Text from the API is shown with its control characters
 * made visible (see {@link sanitizeWatchState}) before it is wrapped or cut.
 */
export function watchFrame(props: WatchViewProps): WatchFrame {
  const { now, columns, rows } = props;
  const state = sanitizeWatchState(props.state);
  const overlay = props.overlay ?? { kind: "none" };
  const job = state.job;
  const stages = state.timeline.stages;
  const terminalStatus = job !== undefined && TERMINAL.has(job.status);
  const ended = state.outcome !== undefined;
  const useStatic = props.useStatic === true;
  const finished = stages.filter((s) => s.endedAt !== undefined && (STAGES as readonly string[]).includes(s.status));
  const blocks: StaticBlock[] = [];
  if (useStatic && job) {
    blocks.push({ key: "header", lines: headerLines(job, state.jobId, columns) });
    for (const s of finished) blocks.push({ key: `stage-${s.status}`, lines: [stageLine(s, now, false)] });
  }
  const liveStages = useStatic ? stages.filter((s) => !finished.includes(s)) : stages;
  const reached = new Set(stages.map((s) => s.status));
  const pending = terminalStatus || !job ? [] : STAGES.filter((s) => !reached.has(s));
  const keys = watchKeys(state, {
    ...(props.stay !== undefined ? { stay: props.stay } : {}),
    ...(props.quitLabel ? { quitLabel: props.quitLabel } : {}),
  });
  const showKeys = props.interactive === true && (!ended || props.stay === true);

  const live: FrameLine[] = [];
  if (!useStatic || !job) live.push(...headerLines(job, state.jobId, columns));
  if (!job && !ended) {
    const waiting = state.connection.status === "retrying" ? "waiting for the API…" : "loading job…";
    live.push([span(`${spinnerFrame(now)} ${waiting}`, { dim: true })]);
  }
  for (const s of liveStages) live.push(stageLine(s, now, s.endedAt === undefined && !terminalStatus && !ended, ended));
  for (const s of pending) live.push([span(`· ${s.padEnd(NAME_WIDTH)}`, { dim: true })]);
  if (job && !terminalStatus) live.push([span(`· ${"DONE".padEnd(NAME_WIDTH)}`, { dim: true })]);
  if (job) {
    const submitted = parseTime(job.submitted_at);
    const completed = parseTime(job.completed_at);
    const end = terminalStatus && completed !== undefined ? completed : now;
    const eta = etaText(props.eta, now);
    const line: Span[] = [
      span(terminalStatus ? "Took " : "Elapsed ", { dim: true }),
      span(submitted !== undefined ? formatClock(end - submitted) : "—"),
    ];
    if (eta && !terminalStatus && !ended) line.push(span(` · ${eta}`, { dim: true }));
    live.push(line);
  }
  const connection = connectionText(state, now);
  if (connection) live.push(...message(connection, { color: "yellow" }, columns));
  if (job?.status === "FAILED") {
    const error = `Error: ${job.error_message?.message ?? "the job failed (no message)"}`;
    live.push(...message(error, { color: "red" }, columns));
  }
  if (job?.expired_at) {
    live.push(
      ...message(`Expired at ${job.expired_at}: outputs are no longer available.`, { color: "yellow" }, columns),
    );
  }
  if (state.outputs && state.outputs.length > 0) {
    live.push([span("Outputs ", { dim: true }), span(state.outputs.map((o) => o.format).join(", "))]);
  }
  if (state.transcriptError) {
    live.push(...message(`Transcript not loaded: ${state.transcriptError}`, { color: "yellow" }, columns));
  }
  const keyLines = showKeys && overlay.kind !== "confirm-delete" ? keyBarLines(keys, columns) : [];
  // Lines used so far, with what still follows; the transcript preview gets what is left of the window.
  const after = (state.notice ? 1 : 0) + (overlay.kind === "confirm-delete" ? 1 : 0) + Math.max(1, keyLines.length);
  live.push(...previewLines(props, Math.max(0, Math.min(6, rows - live.length - after - 3)), showKeys));
  if (state.notice) live.push(...message(state.notice, { color: "cyan" }, columns));
  if (overlay.kind === "confirm-delete") {
    live.push([span(`Delete job ${state.jobId} and its outputs? y/N`, { color: "yellow", bold: true })]);
  }
  if (state.outcome && !showKeys) {
    const { code, reason } = state.outcome;
    live.push(...message(`${code === 0 ? "✓" : "✗"} ${reason} · exit code ${code}`, { dim: true }, columns));
  }
  live.push(...keyLines);
  return {
    static: blocks.map((b) => ({ key: b.key, lines: b.lines.map((l) => fitLine(l, columns)) })),
    live: live.map((l) => fitLine(l, columns)),
  };
}
