import type { BatchJob, JobSortField, JobStatus, PageMeta, SortOrder } from "@slng/types";
import { Box, Text } from "ink";
import { fit, formatAge, formatAudioSeconds, parseTime, truncate } from "../lib/format.js";
import { HelpOverlay } from "./help-overlay.js";
import { KeyBar, type KeyHint } from "./key-bar.js";
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

/** Props of {@link Dashboard} (a pure component). */
export interface DashboardProps {
  jobs: BatchJob[];
  meta?: PageMeta | undefined;
  selected: number;
  filter: StatusFilter;
  sort: SortChoice;
  /** The `/` search text (matches ids and titles on the current page). */
  search: string;
  searching: boolean;
  loading: boolean;
  error?: string | undefined;
  notice?: string | undefined;
  confirmDelete?: string | undefined;
  help?: boolean;
  now: number;
  columns: number;
  rows: number;
}

/** Applies the `/` search to a page of jobs: case-insensitive match on id, title or reference. */
export function searchJobs(jobs: BatchJob[], search: string): BatchJob[] {
  const q = search.trim().toLowerCase();
  if (!q) return jobs;
  return jobs.filter((j) => {
    const t = j.job_config?.tracking;
    return [j.job_id, t?.title, t?.reference].some((v) => typeof v === "string" && v.toLowerCase().includes(q));
  });
}

/** The keys of the dashboard. */
export function dashboardKeys(opts: { hasJobs: boolean; selectedTerminal: boolean; pages: number }): KeyHint[] {
  const keys: KeyHint[] = [{ key: "q", label: "quit" }];
  if (opts.hasJobs) keys.push({ key: "↑↓/jk", label: "move" }, { key: "enter", label: "watch" });
  if (opts.pages > 1) keys.push({ key: "←→/np", label: "page" });
  keys.push({ key: "f", label: "filter" }, { key: "o", label: "sort" }, { key: "/", label: "search" });
  if (opts.selectedTerminal) keys.push({ key: "d", label: "delete" });
  keys.push({ key: "r", label: "refresh" }, { key: "?", label: "help" });
  return keys;
}

/** How many table rows fit: the window minus header, title, status and key lines. */
export function tableHeight(rows: number): number {
  return Math.max(3, rows - 7);
}

/**
 * The jobs dashboard: a table (id, status in colour, title, submitted, audio duration) of one
 * page, the selected row highlighted, with filter, sort, search and page position. Fits
 * `columns` × `rows`: on narrow terminals it drops the duration and title columns.
 */
export function Dashboard(props: DashboardProps) {
  const { columns, rows, now } = props;
  const visible = searchJobs(props.jobs, props.search);
  const selected = visible[props.selected];
  const keys = dashboardKeys({
    hasJobs: visible.length > 0,
    selectedTerminal: selected?.status === "DONE" || selected?.status === "FAILED",
    pages: props.meta?.pages ?? 1,
  });
  if (props.help) return <HelpOverlay title="jobs" keys={keys} />;
  const idWidth = Math.max(8, Math.min(24, ...visible.map((j) => j.job_id.length)));
  const statusWidth = 17;
  const ageWidth = 10;
  const durWidth = columns >= 70 ? 11 : 0;
  const titleWidth = Math.max(0, columns - 2 - idWidth - statusWidth - ageWidth - durWidth - 4);
  const showTitle = titleWidth >= 8;
  const height = tableHeight(rows);
  const start = Math.max(0, Math.min(props.selected - Math.floor(height / 2), visible.length - height));
  const shown = visible.slice(start, start + height);
  const meta = props.meta;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>SLNG Batch jobs</Text>
        <Text dimColor>
          {" "}
          · {props.filter.label} · {props.sort.label}
          {meta
            ? ` · page ${meta.page}/${Math.max(1, meta.pages)} · ${meta.total} job${meta.total === 1 ? "" : "s"}`
            : ""}
          {props.loading ? " · loading…" : ""}
        </Text>
      </Text>
      <Text dimColor bold>
        {"  "}
        {fit("ID", idWidth)} {fit("STATUS", statusWidth)} {showTitle ? `${fit("TITLE", titleWidth)} ` : ""}
        {fit("SUBMITTED", ageWidth)}
        {durWidth ? ` ${fit("AUDIO", durWidth - 1)}` : ""}
      </Text>
      {shown.length === 0 ? (
        <Text dimColor>
          {"  "}
          {props.loading ? "loading…" : props.search ? `no job on this page matches "${props.search}"` : "no jobs"}
        </Text>
      ) : null}
      {shown.map((job, i) => {
        const isSelected = start + i === props.selected;
        const t = job.job_config?.tracking;
        const title = t?.title ?? t?.reference ?? "";
        const submitted = parseTime(job.submitted_at);
        const d = job.input_metadata?.duration_seconds;
        return (
          <Text key={job.job_id} inverse={isSelected}>
            {isSelected ? "› " : "  "}
            {fit(job.job_id, idWidth)}{" "}
            <Text color={STATUS_COLOR[job.status]}>
              {fit(`${STATUS_SYMBOL[job.status]} ${job.status}`, statusWidth)}
            </Text>{" "}
            {showTitle ? `${fit(title, titleWidth)} ` : ""}
            {fit(submitted !== undefined ? formatAge(now - submitted) : "", ageWidth)}
            {durWidth ? ` ${fit(d !== undefined ? formatAudioSeconds(d) : "", durWidth - 1)}` : ""}
          </Text>
        );
      })}
      {props.error ? <Text color="yellow">⚠ {truncate(props.error, columns - 3)}</Text> : null}
      {props.notice ? <Text color="cyan">{truncate(props.notice, columns - 1)}</Text> : null}
      {props.confirmDelete ? (
        <Text bold color="yellow">
          Delete job {props.confirmDelete}? y/N
        </Text>
      ) : props.searching ? (
        <Text>
          <Text color="cyan">/</Text>
          {props.search}
          <Text inverse> </Text> <Text dimColor>Enter keep · Esc clear</Text>
        </Text>
      ) : (
        <KeyBar keys={keys} columns={columns} />
      )}
    </Box>
  );
}
