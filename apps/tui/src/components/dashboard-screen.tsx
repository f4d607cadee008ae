import type { BatchJob, PageMeta } from "@slng/types";
import { useInput } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { JobsApi } from "../lib/api.js";
import { describeError } from "../lib/errors.js";
import { WatchController } from "../lib/watch-controller.js";
import { Dashboard, SORTS, STATUS_FILTERS, searchJobs, tableHeight } from "./dashboard.js";
import { WatchScreen } from "./watch-screen.js";

/** Props of {@link DashboardScreen}. */
export interface DashboardScreenProps {
  api: JobsApi;
  interactive: boolean;
  /** Called on q (or Ctrl+C, with `true`). */
  onExit: (interrupted?: boolean) => void;
  /** How often the table refreshes while shown (ms; default 5000). */
  refreshMs?: number;
  initialFilter?: number;
  initialSort?: number;
  /** Builds the watch controller for a job opened with Enter (tests pass fast poll settings). */
  createController?: (jobId: string) => WatchController;
  onSave?: (jobId: string) => Promise<string>;
}

/**
 * The live jobs dashboard: loads one page at a time (page size fitted to the window),
 * refreshes it every few seconds without re-rendering when nothing changed, and handles the
 * keys (move, page, filter, sort, search, Enter to watch, d to delete).
 */
export function DashboardScreen(props: DashboardScreenProps) {
  const { api } = props;
  const { columns, rows } = useTerminalSize();
  const pageSize = Math.min(100, tableHeight(rows));
  const [page, setPage] = useState(1);
  const [filterIdx, setFilterIdx] = useState(props.initialFilter ?? 0);
  const [sortIdx, setSortIdx] = useState(props.initialSort ?? 0);
  const [data, setData] = useState<{ jobs: BatchJob[]; meta?: PageMeta }>({ jobs: [] });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [selected, setSelected] = useState(0);
  const [search, setSearch] = useState("");
  const [searching, setSearching] = useState(false);
  const [confirm, setConfirm] = useState<string | undefined>();
  const [help, setHelp] = useState(false);
  const [watching, setWatching] = useState<WatchController | undefined>();
  const [now, setNow] = useState(Date.now());
  const lastBody = useRef("");
  const filter = STATUS_FILTERS[filterIdx] ?? { label: "all" };
  const sort = SORTS[sortIdx] ?? { label: "newest first", by: "submitted_at", order: "desc" };

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const result = await api.listPage({
          page,
          pageSize,
          ...(filter.statuses ? { status: filter.statuses } : {}),
          sortBy: sort.by,
          sortOrder: sort.order,
          ...(signal ? { signal } : {}),
        });
        const body = JSON.stringify(result);
        setError(undefined);
        setNow(Date.now());
        if (body !== lastBody.current) {
          lastBody.current = body;
          setData({ jobs: result.items, meta: result.meta });
        }
      } catch (e) {
        if (!signal?.aborted) setError(describeError(e));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [api, page, pageSize, filter.statuses, sort.by, sort.order],
  );

  useEffect(() => {
    if (watching) return;
    const controller = new AbortController();
    setLoading(true);
    void load(controller.signal);
    const timer = setInterval(() => void load(controller.signal), props.refreshMs ?? 5000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load, watching, props.refreshMs]);

  const visible = useMemo(() => searchJobs(data.jobs, search), [data.jobs, search]);
  const current = visible[Math.min(selected, visible.length - 1)];
  const pages = Math.max(1, data.meta?.pages ?? 1);

  useEffect(() => {
    if (selected > 0 && selected >= visible.length) setSelected(Math.max(0, visible.length - 1));
  }, [visible.length, selected]);

  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") return props.onExit(true);
      if (help) {
        setHelp(false);
        return;
      }
      if (confirm) {
        const id = confirm;
        setConfirm(undefined);
        if (input === "y" || input === "Y") {
          api.delete(id).then(
            () => {
              setNotice(`Deleted job ${id}.`);
              void load();
            },
            (e) => setNotice(`Could not delete ${id}: ${describeError(e)}`),
          );
        } else setNotice("Delete cancelled.");
        return;
      }
      if (searching) {
        if (key.escape) {
          setSearch("");
          setSearching(false);
        } else if (key.return) setSearching(false);
        else if (key.backspace || key.delete) setSearch((s) => s.slice(0, -1));
        else if (input && !key.ctrl && !key.meta) {
          setSearch((s) => s + input);
          setSelected(0);
        }
        return;
      }
      if (input === "q") return props.onExit();
      if (key.escape && search) return setSearch("");
      if (key.downArrow || input === "j") return setSelected((s) => Math.max(0, Math.min(visible.length - 1, s + 1)));
      if (key.upArrow || input === "k") return setSelected((s) => Math.max(0, s - 1));
      if ((key.rightArrow || input === "n" || key.pageDown) && page < pages) {
        setPage(page + 1);
        setSelected(0);
        return;
      }
      if ((key.leftArrow || input === "p" || key.pageUp) && page > 1) {
        setPage(page - 1);
        setSelected(0);
        return;
      }
      if (input === "f") {
        setFilterIdx((i) => (i + 1) % STATUS_FILTERS.length);
        setPage(1);
        setSelected(0);
        return;
      }
      if (input === "o") {
        setSortIdx((i) => (i + 1) % SORTS.length);
        setPage(1);
        setSelected(0);
        return;
      }
      if (input === "/") {
        setSearching(true);
        return;
      }
      if (input === "r") {
        setLoading(true);
        void load();
        return;
      }
      if (input === "?") return setHelp(true);
      if (input === "d" && current && (current.status === "DONE" || current.status === "FAILED")) {
        setConfirm(current.job_id);
        return;
      }
      if (key.return && current) {
        const controller = props.createController?.(current.job_id) ?? new WatchController(api, current.job_id);
        void controller.run();
        setWatching(controller);
      }
    },
    { isActive: props.interactive && !watching },
  );

  if (watching) {
    return (
      <WatchScreen
        controller={watching}
        interactive={props.interactive}
        stay
        quitLabel="back to jobs"
        onExit={() => {
          if (watching.getState().outcome?.code === 130) return props.onExit(true);
          watching.stop("quit");
          setWatching(undefined);
          lastBody.current = "";
        }}
        {...(props.onSave ? { onSave: () => props.onSave?.(watching.jobId) ?? Promise.resolve("") } : {})}
      />
    );
  }
  return (
    <Dashboard
      jobs={data.jobs}
      meta={data.meta}
      selected={Math.min(selected, Math.max(0, visible.length - 1))}
      filter={filter}
      sort={sort}
      search={search}
      searching={searching}
      loading={loading}
      error={error}
      notice={notice}
      confirmDelete={confirm}
      help={help}
      now={now}
      columns={columns}
      rows={rows}
    />
  );
}
