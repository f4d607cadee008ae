import type { BatchJob, JobSortField, JobStatus, PageMeta, SortOrder } from "@slng/types";
import { Box, Text } from "ink";
import { fit, formatAge, formatAudioSeconds, formatDuration, parseTime, truncate } from "../lib/format.js";
import type { ScanSnapshot } from "../lib/job-scan.js";
import { sanitize, sanitizeObject } from "../lib/sanitize.js";
import { HelpOverlay } from "./help-overlay.js";
import { KeyBar, type KeyHint } from "./key-bar.js";
import { keyBarLines as keyBarLayout } from "./key-bar-lines.js";
import { STATUS_COLOR, STATUS_SYMBOL } from "./theme.js";

/** A status filter of the dashboard, cycled with `f`. */
export interface StatusFilter {
  label: string;
  statuses?: JobStatus[];
}

/** The filters `f` cycles through. */
export const STATUS_FILTERS: StatusFilter[] = [
  { label: "all" },
  { label: "active", statuses: ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING"] },
  { label: "done", statuses: ["DONE"] },
  { label: "failed", statuses: ["FAILED"] },
];

/** A sort of the dashboard, cycled with `o`. */
export interface SortChoice {
  label: string;
  by: JobSortField;
  order: SortOrder;
}

/** The sorts `o` cycles through. */
export const SORTS: SortChoice[] = [
  { label: "newest first", by: "submitted_at", order: "desc" },
  { label: "oldest first", by: "submitted_at", order: "asc" },
  { label: "by status", by: "status", order: "asc" },
  { label: "by model", by: "model_code", order: "asc" },
];

/** True when `a` and `b` hold the same statuses (in any order). */
export function sameStatuses(a: readonly JobStatus[] | undefined, b: readonly JobStatus[] | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.length === b.length && a.every((s) => b.includes(s));
}

/** The filter for `--status` given on the command line: a preset when one matches, else a custom one. */
export function filterFor(statuses: readonly JobStatus[] | undefined): StatusFilter {
  if (!statuses || statuses.length === 0) return STATUS_FILTERS[0] ?? { label: "all" };
  const preset = STATUS_FILTERS.find((f) => sameStatuses(f.statuses, statuses));
  return preset ?? { label: statuses.join(",").toLowerCase(), statuses: [...statuses] };
}

/** The sort for `--sort`/`--asc` given on the command line: a preset when one matches, else a custom one. */
export function sortFor(by: JobSortField, order: SortOrder): SortChoice {
  const preset = SORTS.find((s) => s.by === by && s.order === order);
  if (preset) return preset;
  const name = by === "model_code" ? "model" : by === "status" ? "status" : "submitted";
  return { label: `by ${name} (${order === "asc" ? "ascending" : "descending"})`, by, order };
}

/** Props of {@link Dashboard} (a pure component). */
export interface DashboardProps {
  /** The rows: one page of jobs, or the matches of the `/` search. */
  jobs: BatchJob[];
  meta?: PageMeta | undefined;
  selected: number;
  filter: StatusFilter;
  sort: SortChoice;
  /** The `/` search text (ids, titles and references of every job, read by a scan). */
  search: string;
  /** Typing the search text. */
  searching: boolean;
  /** What the search has read so far (when a search is active). */
  scan?: ScanSnapshot | undefined;
  loading: boolean;
  error?: string | undefined;
  notice?: string | undefined;
  confirmDelete?: string | undefined;
  help?: boolean;
  now: number;
  columns: number;
  rows: number;
}

/** Applies the `/` search to a list of jobs: case-insensitive match on id, title or reference. */
export function searchJobs(jobs: BatchJob[], search: string): BatchJob[] {
  const q = search.trim().toLowerCase();
  if (!q) return jobs;
  return jobs.filter((j) => {
    const t = j.job_config?.tracking;
    return [j.job_id, t?.title, t?.reference].some((v) => typeof v === "string" && v.toLowerCase().includes(q));
  });
}

/** What the dashboard can do right now, which decides the keys it shows. */
export interface DashboardKeyState {
  hasJobs: boolean;
  selectedTerminal: boolean;
  pages: number;
  /** A search is shown (page keys do not apply). */
  search?: boolean;
  /** The search scan is reading. */
  scanning?: boolean;
  /** The search scan stopped before the last job (at its cap, on `Esc` or on an error). */
  canSearchMore?: boolean;
}

/** The keys of the dashboard that do something in `state` (the key bar shows only these). */
export function dashboardKeys(state: DashboardKeyState): KeyHint[] {
  const keys: KeyHint[] = [{ key: "q", label: "quit" }];
  if (state.hasJobs) keys.push({ key: "↑↓/jk", label: "move" }, { key: "enter", label: "watch" });
  if (state.pages > 1 && !state.search) keys.push({ key: "←→/np", label: "page" });
  keys.push({ key: "f", label: "filter" }, { key: "o", label: "sort" }, { key: "/", label: "search" });
  if (state.search) keys.push({ key: "esc", label: state.scanning ? "stop search" : "clear search" });
  if (state.canSearchMore) keys.push({ key: "m", label: "search more" });
  if (state.selectedTerminal) keys.push({ key: "d", label: "delete" });
  keys.push({ key: "r", label: "refresh" }, { key: "?", label: "help" });
  return keys;
}

/** Every key of the dashboard with what it does, for the `?` help. */
export const DASHBOARD_HELP_KEYS: KeyHint[] = [
  { key: "↑↓ / j k", label: "move the selection" },
  { key: "←→ / n p", label: "previous / next page (PgUp/PgDn too)" },
  { key: "enter", label: "watch the selected job (q there comes back)" },
  { key: "f", label: "filter by status: all, active, done, failed" },
  { key: "o", label: "sort: newest, oldest, by status, by model" },
  { key: "/", label: "search ids, titles and references of all jobs" },
  { key: "esc", label: "stop the search scan, then clear the search" },
  { key: "m", label: "search further when the scan stopped early" },
  { key: "d", label: "delete the selected job (DONE or FAILED only)" },
  { key: "r", label: "refresh now (and search again)" },
  { key: "?", label: "this help (? or Esc closes it)" },
  { key: "q", label: "quit (Ctrl+C too)" },
];

/** Lines the key bar takes at `columns` (its layout: {@link keyBarLayout}). */
export function keyBarLines(keys: KeyHint[], columns: number): number {
  return Math.max(1, keyBarLayout(keys, columns).length);
}

/** Keys dropped first when the key bar would take more than two lines (all stay listed under `?`). */
const DROP_ORDER = ["r", "o", "f", "←→/np", "↑↓/jk", "/", "enter"];

/** The keys that fit in two lines at `columns`: least needed ones go first; `q` and `?` always stay. */
export function fitKeys(keys: KeyHint[], columns: number, maxLines = 2): KeyHint[] {
  let kept = keys;
  for (const drop of DROP_ORDER) {
    if (keyBarLines(kept, columns) <= maxLines) break;
    kept = kept.filter((k) => k.key !== drop);
  }
  return kept;
}

/**
 * Rows of the table for a window of `rows` lines: the rest holds the title, column headers, an
 * error line, a notice line and up to two key-bar lines, plus one spare line so the frame never
 * fills the window (Ink redraws the whole screen, flickering, when it does).
 */
export function tableHeight(rows: number): number {
  return Math.max(3, rows - 7);
}

/** The one-line account of what the `/` search has read, so its scope is never a guess. */
export function searchNote(scan: ScanSnapshot | undefined, filter: StatusFilter): string {
  if (!scan) return "";
  const n = scan.jobs.length;
  const kind = filter.statuses ? `${filter.label} ` : "";
  const of = scan.total !== undefined ? ` of ${scan.total}` : "";
  if (scan.error) return `search stopped after ${n}${of} ${kind}jobs: ${scan.error} · m retries`;
  if (!scan.started || (scan.running && scan.requests === 0)) return `searching all ${kind}jobs…`;
  if (scan.running) return `searching… read ${n}${of} ${kind}jobs · esc stops`;
  if (scan.complete) return `searched all ${n} ${kind}job${n === 1 ? "" : "s"}`;
  return `searched only the first ${n}${of} ${kind}jobs · m searches more`;
}

/** How long a job took (submitted to completed), or has been running so far. */
function tookMs(job: BatchJob, now: number): number | undefined {
  const submitted = parseTime(job.submitted_at);
  if (submitted === undefined) return undefined;
  if (job.status === "DONE" || job.status === "FAILED") {
    const end = parseTime(job.completed_at);
    return end === undefined ? undefined : end - submitted;
  }
  if (job.status === "DELETED") return undefined;
  return now - submitted;
}

/** Widths of the dashboard's id, title, run time and audio columns at `columns`. */
export interface ColumnWidths {
  idWidth: number;
  titleWidth: number;
  tookWidth: number;
  durWidth: number;
}

/**
 * How the dashboard's columns share `columns`: ids are shown whole whenever the window can hold
 * them (they are what you paste into other commands); to keep a title at least as wide as the
 * status column next to a whole id, the run time and then the audio length give way first. An
 * id is cut (with …) only when it alone is wider than the room left beside status and age.
 */
export function columnWidths(
  columns: number,
  statusWidth: number,
  ageWidth: number,
  jobs: readonly BatchJob[],
): ColumnWidths {
  const longestId = Math.max(8, ...jobs.map((j) => j.job_id.length));
  const wantedTitle = Math.max(16, statusWidth);
  let tookWidth = columns >= 100 ? 9 : 0;
  let durWidth = columns >= 70 ? 11 : 0;
  // Room for the id and title columns together (the rest: selection mark, status, age, gaps).
  const spare = () => columns - 2 - statusWidth - ageWidth - durWidth - tookWidth - 4;
  if (spare() < longestId + wantedTitle) tookWidth = 0;
  if (spare() < longestId + wantedTitle) durWidth = 0;
  const idWidth = Math.max(6, Math.min(longestId, spare()));
  // Titles get the room left, up to 60 columns so the times stay near them on wide windows.
  const titleWidth = Math.min(60, Math.max(0, spare() - idWidth));
  return { idWidth, titleWidth, tookWidth, durWidth };
}

/**
 * The jobs dashboard: a table (id, status in colour, title, submitted, run time, audio length)
 * of one page or of the search matches, the selected row highlighted, with filter, sort, page
 * position or search scope. Fits `columns` × `rows`: narrower terminals drop the run time, audio
 * and title columns before cutting an id ({@link columnWidths}), and the frame always stays a
 * line short of the window. Every text from the API is shown with its control characters made
 * visible, before it is cut to width.
 */
export function Dashboard(props: DashboardProps) {
  const { columns, rows, now } = props;
  const visible = props.jobs.map((job) => sanitizeObject(job));
  const selected = visible[props.selected];
  const searchActive = props.search.trim() !== "";
  const scan = searchActive ? props.scan : undefined;
  const keys = fitKeys(
    dashboardKeys({
      hasJobs: visible.length > 0,
      selectedTerminal: selected?.status === "DONE" || selected?.status === "FAILED",
      pages: props.meta?.pages ?? 1,
      search: searchActive,
      scanning: scan?.running === true,
      canSearchMore: scan !== undefined && (scan.paused || scan.error !== undefined),
    }),
    columns,
  );
  if (props.help) return <HelpOverlay title="jobs" keys={DASHBOARD_HELP_KEYS} exitCodes={false} />;
  // As wide as the longest status on screen (with its symbol), so titles are not starved by it.
  const statusWidth = Math.min(17, 2 + Math.max(6, ...visible.map((j) => j.status.length)));
  const ageWidth = 10;
  const { idWidth, titleWidth, tookWidth, durWidth } = columnWidths(columns, statusWidth, ageWidth, visible);
  const showTitle = titleWidth >= 8;
  const height = tableHeight(rows);
  const start = Math.max(0, Math.min(props.selected - Math.floor(height / 2), visible.length - height));
  const shown = visible.slice(start, start + height);
  const meta = props.meta;
  const position = searchActive
    ? ` · ${visible.length} match${visible.length === 1 ? "" : "es"} for "${sanitize(props.search)}"${
        visible.length > height ? ` · ${props.selected + 1}/${visible.length}` : ""
      }`
    : meta
      ? ` · page ${meta.page}/${Math.max(1, meta.pages)} · ${meta.total} job${meta.total === 1 ? "" : "s"}`
      : "";
  const rawNote = props.notice ?? (searchActive ? searchNote(scan, props.filter) : undefined);
  const note = rawNote === undefined ? undefined : sanitize(rawNote);
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>SLNG Batch jobs</Text>
        <Text dimColor>
          {" "}
          · {props.filter.label} · {props.sort.label}
          {position}
          {props.loading ? " · loading…" : ""}
        </Text>
      </Text>
      <Text dimColor bold wrap="truncate-end">
        {"  "}
        {fit("ID", idWidth)} {fit("STATUS", statusWidth)} {showTitle ? `${fit("TITLE", titleWidth)} ` : ""}
        {fit("SUBMITTED", ageWidth)}
        {tookWidth ? ` ${fit("TOOK", tookWidth - 1)}` : ""}
        {durWidth ? ` ${fit("AUDIO", durWidth - 1)}` : ""}
      </Text>
      {shown.length === 0 ? (
        <Text dimColor>
          {"  "}
          {props.loading && !searchActive
            ? "loading…"
            : props.error && !searchActive
              ? "could not load the jobs (see below); r tries again"
              : searchActive
                ? `no job matches "${sanitize(props.search)}"`
                : props.filter.statuses
                  ? `no ${props.filter.label} jobs (f changes the filter)`
                  : "no jobs yet: submit one with slng-batch submit <file>"}
        </Text>
      ) : null}
      {shown.map((job, i) => {
        const isSelected = start + i === props.selected;
        const t = job.job_config?.tracking;
        const title = t?.title ?? t?.reference ?? "";
        const submitted = parseTime(job.submitted_at);
        const d = job.input_metadata?.duration_seconds;
        const took = tookWidth ? tookMs(job, now) : undefined;
        return (
          <Text key={job.job_id} inverse={isSelected} wrap="truncate-end">
            {isSelected ? "› " : "  "}
            {fit(job.job_id, idWidth)}{" "}
            <Text color={STATUS_COLOR[job.status]}>
              {fit(`${STATUS_SYMBOL[job.status]} ${job.status}`, statusWidth)}
            </Text>{" "}
            {showTitle ? `${fit(title, titleWidth)} ` : ""}
            {fit(submitted !== undefined ? formatAge(now - submitted) : "", ageWidth)}
            {tookWidth ? ` ${fit(took !== undefined ? formatDuration(took) : "", tookWidth - 1)}` : ""}
            {durWidth ? ` ${fit(d !== undefined ? formatAudioSeconds(d) : "", durWidth - 1)}` : ""}
          </Text>
        );
      })}
      {props.error ? <Text color="yellow">⚠ {truncate(sanitize(props.error), columns - 3)}</Text> : null}
      {note ? (
        <Text color={props.notice ? "cyan" : undefined} dimColor={!props.notice}>
          {truncate(note, columns - 1)}
        </Text>
      ) : null}
      {props.confirmDelete ? (
        <Text bold color="yellow">
          Delete job {sanitize(props.confirmDelete)}? y/N
        </Text>
      ) : props.searching ? (
        <Text wrap="truncate-end">
          <Text color="cyan">/</Text>
          {sanitize(props.search)}
          <Text inverse> </Text> <Text dimColor>enter keep · esc clear · searches ids, titles, references</Text>
        </Text>
      ) : (
        <KeyBar keys={keys} columns={columns} />
      )}
    </Box>
  );
}
