import type { BatchJob, PageMeta } from "@slng/types";
import { type Key, useInput } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useJobSearch } from "../hooks/use-job-search.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { JobsApi } from "../lib/api.js";
import { classifyError, describeError } from "../lib/errors.js";
import { eachKey } from "../lib/key-burst.js";
import { WatchController } from "../lib/watch-controller.js";
import {
  Dashboard,
  SORTS,
  type SortChoice,
  STATUS_FILTERS,
  type StatusFilter,
  sameStatuses,
  tableHeight,
} from "./dashboard.js";
import { WatchScreen } from "./watch-screen.js";

/** Props of {@link DashboardScreen}. */
export interface DashboardScreenProps {
  api: JobsApi;
  interactive: boolean;
  /** Called on q (or Ctrl+C, with `true`). */
  onExit: (interrupted?: boolean) => void;
  /** Called when the first load is refused (403/401): the command ends with that error. */
  onFatal?: (error: unknown) => void;
  /** How often the table refreshes while shown (ms; default 5000). */
  refreshMs?: number;
  /** The status filter to open with (`--status`); `f` cycles from it through the presets. */
  initialFilter?: StatusFilter;
  /** The sort to open with (`--sort`, `--asc`); `o` cycles from it through the presets. */
  initialSort?: SortChoice;
  /** Jobs the `/` search reads before asking for `m` (default 1000). */
  searchCap?: number;
  /** Quiet time after typing before the search scan starts (ms; default 300). */
  searchDebounceMs?: number;
  /** Builds the watch controller for a job opened with Enter (tests pass fast poll settings). */
  createController?: (jobId: string) => WatchController;
  onSave?: (jobId: string) => Promise<string>;
}

/** The presets plus `initial` when it is none of them (a `--status`/`--sort` from the command line). */
function withChoice<T>(presets: T[], initial: T | undefined, same: (a: T, b: T) => boolean): [T[], number] {
  if (!initial) return [presets, 0];
  const at = presets.findIndex((p) => same(p, initial));
  return at >= 0 ? [presets, at] : [[...presets, initial], presets.length];
}

/**
 * State whose latest value the key handler can read at once: keys typed in one burst ("/abc",
 * "jjj") arrive before React re-renders, and must see what the previous key changed.
 */
function useKeyState<T>(initial: T): [T, () => T, (next: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    ref.current = typeof next === "function" ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, useCallback(() => ref.current, []), set];
}

/**
 * The live jobs dashboard: loads one page at a time (page size fitted to the window),
 * refreshes it every few seconds without re-rendering when nothing changed, keeps the selection
 * on the same job across refreshes, and handles the keys (move, page, filter, sort, search over
 * all jobs, Enter to watch, d to delete).
 */
export function DashboardScreen(props: DashboardScreenProps) {
  const { api } = props;
  const { columns, rows } = useTerminalSize();
  const pageSize = Math.min(100, tableHeight(rows));
  const [filters, firstFilter] = useMemo(
    () => withChoice(STATUS_FILTERS, props.initialFilter, (a, b) => sameStatuses(a.statuses, b.statuses)),
    [props.initialFilter],
  );
  const [sorts, firstSort] = useMemo(
    () => withChoice(SORTS, props.initialSort, (a, b) => a.by === b.by && a.order === b.order),
    [props.initialSort],
  );
  // The position is the selected row (the first row of a page after paging), so a resize (a new
  // page size) loads the page that holds it.
  const [firstRow, getFirstRow, setFirstRow] = useKeyState(0);
  const page = Math.floor(firstRow / pageSize) + 1;
  const setPage = (p: number) => setFirstRow((Math.max(1, p) - 1) * pageSize);
  const getPage = () => Math.floor(getFirstRow() / pageSize) + 1;
  const latestLoad = useRef(0);
  const [filterIdx, setFilterIdx] = useState(firstFilter);
  const [sortIdx, setSortIdx] = useState(firstSort);
  const [data, setData] = useState<{ jobs: BatchJob[]; meta?: PageMeta }>({ jobs: [] });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  // The selection follows a job (by id) across refreshes; the index is the fallback when it goes.
  const [selection, getSelection, setSelection] = useKeyState<{ id?: string | undefined; index: number }>({
    index: 0,
  });
  const [search, getSearch, setSearch] = useKeyState("");
  const [searching, getSearching, setSearching] = useKeyState(false);
  const [confirm, getConfirm, setConfirm] = useKeyState<string | undefined>(undefined);
  const [help, getHelp, setHelp] = useKeyState(false);
  const [watching, setWatching] = useState<WatchController | undefined>();
  const [now, setNow] = useState(Date.now());
  const lastBody = useRef("");
  const loadedOnce = useRef(false);
  // Read through a ref: a new callback each render must not make a new `load` (and a reload).
  const onFatal = useRef(props.onFatal);
  onFatal.current = props.onFatal;
  const filter = filters[filterIdx] ?? { label: "all" };
  const sort = sorts[sortIdx] ?? { label: "newest first", by: "submitted_at", order: "desc" };

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const id = ++latestLoad.current;
      try {
        const result = await api.listPage({
          page,
          pageSize,
          ...(filter.statuses ? { status: filter.statuses } : {}),
          sortBy: sort.by,
          sortOrder: sort.order,
          ...(signal ? { signal } : {}),
        });
        // An answer for a page, filter or size no longer shown (or overtaken by a newer load) is dropped.
        if (signal?.aborted || id !== latestLoad.current) return;
        const body = JSON.stringify(result);
        setError(undefined);
        setNow(Date.now());
        if (page > Math.max(1, result.meta.pages)) {
          // Jobs were deleted (or expired) and this page no longer exists: go to the last one.
          setFirstRow((Math.max(1, result.meta.pages) - 1) * pageSize);
          return;
        }
        loadedOnce.current = true;
        if (body !== lastBody.current) {
          lastBody.current = body;
          setData({ jobs: result.items, meta: result.meta });
        }
      } catch (e) {
        if (signal?.aborted || id !== latestLoad.current) return;
        // A key the API refuses before anything was shown: nothing here can work, end with exit 3.
        if (!loadedOnce.current && classifyError(e) === "auth" && onFatal.current) return onFatal.current(e);
        setError(describeError(e));
      } finally {
        if (!signal?.aborted && id === latestLoad.current) setLoading(false);
      }
    },
    [api, page, pageSize, filter.statuses, sort.by, sort.order, setFirstRow],
  );

  const searchQuery = useMemo(
    () => ({ status: filter.statuses, sortBy: sort.by, sortOrder: sort.order }),
    [filter.statuses, sort.by, sort.order],
  );
  const found = useJobSearch({
    api,
    text: search,
    query: searchQuery,
    fallback: data.jobs,
    ...(props.searchCap !== undefined ? { cap: props.searchCap } : {}),
    ...(props.searchDebounceMs !== undefined ? { debounceMs: props.searchDebounceMs } : {}),
  });
  const refreshSearch = found.refresh;

  useEffect(() => {
    if (watching) return;
    const controller = new AbortController();
    setLoading(true);
    void load(controller.signal);
    const timer = setInterval(() => {
      void load(controller.signal);
      refreshSearch();
    }, props.refreshMs ?? 5000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load, watching, props.refreshMs, refreshSearch]);

  const visible = found.matches;
  const indexOf = (sel: { id?: string | undefined; index: number }) => {
    const byId = sel.id === undefined ? -1 : visible.findIndex((j) => j.job_id === sel.id);
    return byId >= 0 ? byId : Math.max(0, Math.min(sel.index, visible.length - 1));
  };
  const selected = indexOf(selection);
  const pages = Math.max(1, data.meta?.pages ?? 1);
  const move = (by: number) => {
    const i = Math.max(0, Math.min(visible.length - 1, indexOf(getSelection()) + by));
    setSelection({ id: visible[i]?.job_id, index: i });
    // The position follows the selected row, so a resize loads the page that holds it.
    if (getSearch().trim() === "") setFirstRow((getPage() - 1) * pageSize + i);
  };
  const resetSelection = () => setSelection({ index: 0 });

  const onKey = (input: string, key: Key) => {
    const confirm = getConfirm();
    const searchActive = getSearch().trim() !== "";
    const current = visible[indexOf(getSelection())];
    if (key.ctrl && input === "c") return props.onExit(true);
    if (getHelp()) {
      if (input === "q") return props.onExit();
      if (input === "?" || key.escape) setHelp(false);
      return;
    }
    if (confirm) {
      const id = confirm;
      setConfirm(undefined);
      if (input === "y" || input === "Y") {
        api.delete(id).then(
          () => {
            setNotice(`Deleted job ${id}.`);
            found.remove(id);
            void load();
          },
          (e) => setNotice(`Could not delete ${id}: ${describeError(e)}`),
        );
      } else setNotice("Delete cancelled.");
      return;
    }
    setNotice(undefined);
    if (getSearching()) {
      if (key.escape) {
        setSearch("");
        setSearching(false);
        resetSelection();
      } else if (key.return) setSearching(false);
      else if (key.backspace || key.delete) setSearch((s) => s.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) {
        setSearch((s) => s + input);
        resetSelection();
      }
      return;
    }
    if (input === "q") return props.onExit();
    if (key.escape && searchActive) {
      if (found.scan?.running) return found.stop();
      setSearch("");
      resetSelection();
      return;
    }
    if (input === "m" && searchActive) return found.more();
    if (key.downArrow || input === "j") return move(1);
    if (key.upArrow || input === "k") return move(-1);
    if (!searchActive && (key.rightArrow || input === "n" || key.pageDown) && getPage() < pages) {
      setPage(getPage() + 1);
      resetSelection();
      return;
    }
    if (!searchActive && (key.leftArrow || input === "p" || key.pageUp) && getPage() > 1) {
      setPage(getPage() - 1);
      resetSelection();
      return;
    }
    if (input === "f") {
      setFilterIdx((i) => (i + 1) % filters.length);
      setPage(1);
      resetSelection();
      return;
    }
    if (input === "o") {
      setSortIdx((i) => (i + 1) % sorts.length);
      setPage(1);
      resetSelection();
      return;
    }
    if (input.startsWith("/")) {
      // "/" and the first letters can arrive in one read (fast typing, a paste).
      setSearching(true);
      if (input.length > 1) {
        setSearch(input.slice(1));
        resetSelection();
      }
      return;
    }
    if (input === "r") {
      setLoading(true);
      void load();
      if (searchActive) found.rescan();
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
  };
  useInput((input, key) => eachKey(input, key, onKey), { isActive: props.interactive && !watching });

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
      jobs={visible}
      meta={data.meta}
      selected={selected}
      filter={filter}
      sort={sort}
      search={search}
      searching={searching}
      scan={found.scan}
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
