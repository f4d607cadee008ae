import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import type { ListFilters } from "../lib/api.js";
import type { ScanSnapshot } from "../lib/job-scan.js";
import { WatchController } from "../lib/watch-controller.js";
import { FakeApi, makeJob, waitFor } from "../test-utils/fake-api.js";
import {
  Dashboard,
  dashboardKeys,
  filterFor,
  fitKeys,
  keyBarLines,
  SORTS,
  STATUS_FILTERS,
  searchJobs,
  searchNote,
  sortFor,
} from "./dashboard.js";
import { DashboardScreen } from "./dashboard-screen.js";
import { HelpOverlay } from "./help-overlay.js";
import { progressBar, SpeedMeter, UploadProgress } from "./upload-progress.js";
import { WatchScreen } from "./watch-screen.js";

const tick = () => new Promise((r) => setTimeout(r, 30));
const jobs = [
  makeJob({
    job_id: "aaa111",
    status: "DONE",
    job_config: { type: "transcription", tracking: { title: "Board meeting" } },
  }),
  makeJob({
    job_id: "bbb222",
    status: "DECODING",
    job_config: { type: "transcription", tracking: { title: "Podcast 12" } },
  }),
  makeJob({
    job_id: "ccc333",
    status: "FAILED",
    job_config: { type: "transcription", tracking: { reference: "ref-9" } },
  }),
];

/** Dashboard props shared by the tests: the three jobs above on one page, nothing searched. */
const dashboardProps = {
  jobs,
  meta: { page: 1, page_size: 20, total: 3, pages: 1 },
  selected: 1,
  filter: STATUS_FILTERS[0] ?? { label: "all" },
  sort: SORTS[0] ?? { label: "x", by: "submitted_at" as const, order: "desc" as const },
  search: "",
  searching: false,
  loading: false,
  now: Date.parse("2026-01-01T12:05:00Z"),
  columns: 100,
  rows: 24,
};

describe("Dashboard", () => {
  const base = dashboardProps;

  it("draws the table with the selected row and page position", () => {
    const { lastFrame } = render(<Dashboard {...base} />);
    const out = lastFrame() ?? "";
    expect(out).toContain("SLNG Batch jobs · all · newest first · page 1/1 · 3 jobs");
    expect(out).toMatch(/ID\s+STATUS\s+TITLE\s+SUBMITTED\s+TOOK\s+AUDIO/);
    expect(out).toMatch(/› bbb222\s+▸ DECODING\s+Podcast 12\s+5m ago\s+5m 00s\s+5 min 12 s/);
    expect(out).toMatch(/ {2}aaa111\s+✓ DONE\s+Board meeting/);
    expect(out).toContain("enter watch");
    expect(out).not.toContain("d delete");
  });

  it("offers delete on a finished job, search, empty and error states", () => {
    expect(render(<Dashboard {...base} selected={0} />).lastFrame()).toContain("d delete");
    const searching =
      render(<Dashboard {...base} jobs={searchJobs(jobs, "pod")} search="pod" searching selected={0} />).lastFrame() ??
      "";
    expect(searching).toContain("bbb222");
    expect(searching).not.toContain("aaa111");
    expect(searching).toContain("/pod");
    expect(render(<Dashboard {...base} jobs={[]} />).lastFrame()).toContain("no jobs yet");
    expect(render(<Dashboard {...base} error="API unreachable: ECONNREFUSED" />).lastFrame()).toContain(
      "⚠ API unreachable",
    );
    expect(render(<Dashboard {...base} confirmDelete="aaa111" />).lastFrame()).toContain("Delete job aaa111? y/N");
    expect(render(<Dashboard {...base} help />).lastFrame()).toContain("jobs — keys");
  });

  it("drops columns on a narrow terminal", () => {
    const out = render(<Dashboard {...base} columns={50} />).lastFrame() ?? "";
    expect(out).not.toContain("AUDIO");
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
    const tiny = render(<Dashboard {...base} columns={40} />).lastFrame() ?? "";
    expect(tiny).not.toContain("TITLE");
    // 24-character ids stay whole at 60 columns; the title gets what is left.
    const long = jobs.map((j) => ({ ...j, job_id: `${j.job_id}${"x".repeat(18)}` }));
    const sixty = render(<Dashboard {...base} jobs={long} columns={60} />).lastFrame() ?? "";
    expect(sixty).toMatch(/› bbb222x{18} ▸ DECODING\s+Podcast 12/);
    for (const line of sixty.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    // 32-character ids (bulk's) stay whole from 160 columns down to where only status and age fit beside them.
    const bulk = jobs.map((j) => ({ ...j, job_id: `${j.job_id}${"y".repeat(26)}` }));
    for (const cols of [160, 100, 80, 60]) {
      const out = render(<Dashboard {...base} jobs={bulk} columns={cols} />).lastFrame() ?? "";
      expect(out).toContain(`› bbb222${"y".repeat(26)} `);
      for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(cols);
    }
    const forty = render(<Dashboard {...base} jobs={bulk} columns={40} />).lastFrame() ?? "";
    expect(forty).toMatch(/› bbb222y+…/);
  });

  it("gives TITLE at least the STATUS column's width at 80 columns", () => {
    const long = jobs.map((j, i) => ({
      ...j,
      job_id: `${j.job_id}${"x".repeat(18)}`,
      status: i === 1 ? ("POST_PROCESSING" as const) : j.status,
      job_config: { type: "transcription" as const, tracking: { title: "Quarterly planning" } },
    }));
    const out = render(<Dashboard {...base} jobs={long} columns={80} />).lastFrame() ?? "";
    const header = out.split("\n")[1] ?? "";
    const status = (header.match(/STATUS\s+/)?.[0] ?? "").length;
    const title = (header.match(/TITLE\s+/)?.[0] ?? "").length;
    expect(status).toBeGreaterThanOrEqual(17);
    expect(title).toBeGreaterThanOrEqual(status);
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    // Only short statuses on screen: the status column is narrower and titles get the room.
    const done = render(<Dashboard {...base} jobs={long.filter((j) => j.status !== "POST_PROCESSING")} columns={80} />);
    expect(done.lastFrame()).toContain("Quarterly planning ");
  });

  it("searches ids, titles and references", () => {
    expect(searchJobs(jobs, "REF-9").map((j) => j.job_id)).toEqual(["ccc333"]);
    expect(searchJobs(jobs, "aaa").map((j) => j.job_id)).toEqual(["aaa111"]);
    expect(searchJobs(jobs, "").length).toBe(3);
  });
});

describe("DashboardScreen keys", () => {
  it("moves, filters, searches, deletes with confirmation and opens a job", async () => {
    const api = new FakeApi();
    api.listItems = jobs;
    api.watchRuns = [[{ job: jobs[0] ?? makeJob() }]];
    const onExit = vi.fn();
    const { lastFrame, stdin, unmount } = render(
      <DashboardScreen
        api={api}
        interactive
        onExit={onExit}
        createController={(id) => new WatchController(api, id, { estimate: false })}
      />,
    );
    await waitFor(() => expect(lastFrame()).toContain("aaa111"));
    expect(lastFrame()).toMatch(/› aaa111/);
    await tick();
    stdin.write("j");
    await waitFor(() => expect(lastFrame()).toMatch(/› bbb222/));
    await tick();
    stdin.write("k");
    await waitFor(() => expect(lastFrame()).toMatch(/› aaa111/));
    await tick();
    stdin.write("d");
    await waitFor(() => expect(lastFrame()).toContain("Delete job aaa111? y/N"));
    await tick();
    stdin.write("y");
    await waitFor(() => expect(api.deleted).toEqual(["aaa111"]));
    await tick();
    stdin.write("f");
    await waitFor(() => expect(lastFrame()).toContain("· active ·"));
    await waitFor(() => expect(lastFrame()).not.toMatch(/aaa111\s+✓ DONE/));
    await tick();
    stdin.write("f");
    await tick();
    stdin.write("f");
    await tick();
    stdin.write("f");
    await waitFor(() => expect(lastFrame()).toContain("· all ·"));
    await tick();
    stdin.write("/");
    await tick();
    await tick();
    stdin.write("ref");
    await waitFor(() => expect(lastFrame()).toMatch(/› ccc333/));
    await tick();
    stdin.write("\r");
    await tick();
    await tick();
    stdin.write("\r");
    await waitFor(() => expect(lastFrame()).toContain("q back to jobs"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(lastFrame()).toContain("SLNG Batch jobs"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalled());
    unmount();
  });
});

describe("Dashboard search, keys and layout", () => {
  const base = { ...dashboardProps, meta: { page: 2, page_size: 17, total: 120, pages: 7 }, selected: 0 };
  const scan = (patch: Partial<ScanSnapshot>): ScanSnapshot => ({
    jobs: [],
    total: undefined,
    running: false,
    complete: false,
    started: true,
    paused: false,
    requests: 1,
    ...patch,
  });

  it("says how much of the job list the search has read", () => {
    const all = STATUS_FILTERS[0] ?? { label: "all" };
    const failed = STATUS_FILTERS[3] ?? { label: "failed" };
    const read = (n: number) => Array.from({ length: n }, () => makeJob());
    expect(searchNote(scan({ started: false, requests: 0 }), all)).toBe("searching all jobs…");
    expect(searchNote(scan({ running: true, jobs: read(300), total: 5400, requests: 3 }), all)).toBe(
      "searching… read 300 of 5400 jobs · esc stops",
    );
    expect(searchNote(scan({ complete: true, jobs: read(12), total: 12 }), failed)).toBe("searched all 12 failed jobs");
    expect(searchNote(scan({ paused: true, jobs: read(1000), total: 5400, requests: 10 }), all)).toBe(
      "searched only the first 1000 of 5400 jobs · m searches more",
    );
    expect(searchNote(scan({ error: "API unreachable", jobs: read(100), total: 300 }), all)).toContain(
      "search stopped after 100 of 300 jobs: API unreachable",
    );
  });

  it("shows matches and the scope of the search instead of the page, with only the keys that work", () => {
    const out =
      render(
        <Dashboard
          {...base}
          jobs={[jobs[1] ?? makeJob()]}
          search="pod"
          scan={scan({ paused: true, jobs: Array.from({ length: 1000 }, () => makeJob()), total: 5400 })}
        />,
      ).lastFrame() ?? "";
    expect(out).toContain('· 1 match for "pod"');
    expect(out).not.toContain("page 2/7");
    expect(out).toContain("searched only the first 1000 of 5400 jobs");
    expect(out).toContain("m search more");
    expect(out).toContain("esc clear search");
    expect(out).not.toContain("←→/np");
    const plain = render(<Dashboard {...base} />).lastFrame() ?? "";
    expect(plain).toContain("page 2/7 · 120 jobs");
    expect(plain).toContain("←→/np page");
    expect(plain).not.toContain("m search more");
    expect(plain).not.toContain("esc");
  });

  it("says no job matches, and keeps the scope visible", () => {
    const out =
      render(
        <Dashboard {...base} jobs={[]} search="zzz" scan={scan({ complete: true, jobs: jobs, total: 3 })} />,
      ).lastFrame() ?? "";
    expect(out).toContain('no job matches "zzz"');
    expect(out).toContain("searched all 3 jobs");
  });

  it("lists every key under ? help, including ones not usable right now", () => {
    const out = render(<Dashboard {...base} selected={1} help />).lastFrame() ?? "";
    expect(out).toContain("jobs — keys");
    for (const k of ["j k", "n p", "enter", "/", "esc", "m", "d", "r", "q"]) expect(out).toContain(k);
    expect(out).toContain("delete the selected job (DONE or FAILED only)");
    expect(out).not.toContain("exit codes");
  });

  it("shows the exit codes under a watch's help only", () => {
    const keys = [{ key: "q", label: "quit" }];
    expect(render(<HelpOverlay title="watch" keys={keys} />).lastFrame()).toContain("exit codes: 0 DONE");
    expect(render(<HelpOverlay title="jobs" keys={keys} exitCodes={false} />).lastFrame()).not.toContain("exit codes");
  });

  it("keeps the key bar to two lines on narrow terminals, q and ? always", () => {
    const keys = dashboardKeys({ hasJobs: true, selectedTerminal: true, pages: 3 });
    expect(keyBarLines(keys, 200)).toBe(1);
    expect(keyBarLines(keys, 40)).toBeGreaterThan(2);
    const fitted = fitKeys(keys, 40);
    expect(keyBarLines(fitted, 40)).toBeLessThanOrEqual(2);
    expect(fitted.map((k) => k.key)).toEqual(expect.arrayContaining(["q", "?", "d"]));
    expect(fitKeys(keys, 200)).toEqual(keys);
  });

  it("never draws a frame as tall as the window, and sizes the id column to the longest id", () => {
    const longId = "abcdefghijklmnopqrstu";
    const rows = Array.from({ length: 40 }, (_, i) =>
      makeJob({ job_id: i === 3 ? longId : `job${i}`, status: "DONE" }),
    );
    for (const [columns, height] of [
      [80, 24],
      [40, 12],
      [200, 50],
    ] as const) {
      const out =
        render(
          <Dashboard
            {...base}
            jobs={rows}
            selected={3}
            columns={columns}
            rows={height}
            error="API unreachable"
            notice="Deleted job x."
          />,
        ).lastFrame() ?? "";
      const lines = out.split("\n");
      expect(lines.length, `${columns}x${height}\n${out}`).toBeLessThan(height);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      if (columns >= 80) expect(out).toContain(longId);
      if (columns >= 200) expect(out).toMatch(/job0\s+✓ DONE\s+Weekly sync {50}\S/);
    }
  });

  it("shows how long each job took (or has been running) on wide terminals", () => {
    const done = makeJob({
      job_id: "done1",
      status: "DONE",
      submitted_at: "2026-01-01T12:00:00.000Z",
      completed_at: "2026-01-01T12:01:30.000Z",
    });
    const running = makeJob({ job_id: "run1", status: "IN_PROGRESS", submitted_at: "2026-01-01T12:04:50.000Z" });
    const out = render(<Dashboard {...base} jobs={[done, running]} columns={120} />).lastFrame() ?? "";
    expect(out).toMatch(/TOOK/);
    expect(out).toMatch(/done1.*1m 30s/);
    expect(out).toMatch(/run1.*10s/);
    expect(render(<Dashboard {...base} jobs={[done]} columns={80} />).lastFrame()).not.toContain("TOOK");
  });

  it("maps --status and --sort to presets, or to choices of their own", () => {
    expect(filterFor(undefined).label).toBe("all");
    expect(filterFor(["FAILED"]).label).toBe("failed");
    expect(filterFor(["POST_PROCESSING", "QUEUED", "DECODING", "IN_PROGRESS"]).label).toBe("active");
    expect(filterFor(["DONE", "FAILED"])).toEqual({ label: "done,failed", statuses: ["DONE", "FAILED"] });
    expect(sortFor("submitted_at", "asc").label).toBe("oldest first");
    expect(sortFor("status", "asc").label).toBe("by status");
    expect(sortFor("status", "desc")).toEqual({ label: "by status (descending)", by: "status", order: "desc" });
  });
});

/** A FakeApi that records list calls and can hold the scan's second page until released or aborted. */
class CountingApi extends FakeApi {
  calls: ListFilters[] = [];
  holdPage: number | undefined;
  aborted = 0;
  private releases: (() => void)[] = [];

  override async listPage(filters: ListFilters = {}) {
    this.calls.push(filters);
    if (filters.pageSize === 100 && filters.page === this.holdPage) {
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        filters.signal?.addEventListener("abort", () => {
          this.aborted++;
          reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
        });
      });
    }
    return super.listPage(filters);
  }

  /** List calls of the search scan (100 a page) as opposed to the table's (window-sized). */
  scanCalls(): ListFilters[] {
    return this.calls.filter((c) => c.pageSize === 100);
  }

  release(): void {
    this.holdPage = undefined;
    for (const r of this.releases.splice(0)) r();
  }
}

const manyJobs = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeJob({
      job_id: `job${String(i).padStart(3, "0")}`,
      status: i % 5 === 0 ? "FAILED" : "DONE",
      job_config: { type: "transcription", tracking: { title: i === 230 ? "Needle interview" : `Recording ${i}` } },
    }),
  );

describe("DashboardScreen search over all jobs, command-line filters, live selection", () => {
  it("finds a job far beyond the page on screen, by title, after typing pauses, in one scan", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(250);
    const { lastFrame, stdin, unmount } = render(
      <DashboardScreen api={api} interactive onExit={() => {}} searchDebounceMs={100} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("page 1/15"));
    expect(lastFrame()).not.toContain("job230");
    stdin.write("/");
    await tick();
    for (const ch of "needle") {
      stdin.write(ch);
      await tick();
    }
    await waitFor(() => expect(lastFrame()).toMatch(/› job230\s+✗ FAILED\s+Needle interview/));
    await waitFor(() => expect(lastFrame()).toContain("searched all 250 jobs"));
    expect(lastFrame()).toContain('1 match for "needle"');
    // One scan of 3 requests, not one per key typed.
    expect(api.scanCalls().map((c) => c.page)).toEqual([1, 2, 3]);
    // Narrowing the text searches what was read, without new requests.
    stdin.write("\u007f");
    await waitFor(() => expect(lastFrame()).toContain("/needl"));
    expect(api.scanCalls()).toHaveLength(3);
    unmount();
  });

  it("stops at the cap and says so; m reads more; esc stops a running scan, then clears", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(250);
    const { lastFrame, stdin, unmount } = render(
      <DashboardScreen api={api} interactive onExit={() => {}} searchCap={100} searchDebounceMs={0} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("page 1/15"));
    stdin.write("/needle"); // "/" and the text in one read, as a fast typist or a paste sends them
    await tick();
    stdin.write("\r");
    await waitFor(() => expect(lastFrame()).toContain("m search more"));
    await waitFor(() => expect(lastFrame()).toContain("searched only the first 100 of 250 jobs · m searches more"));
    expect(lastFrame()).toContain('no job matches "needle"');
    api.holdPage = 2;
    await tick();
    stdin.write("m");
    await waitFor(() => expect(lastFrame()).toContain("searching… read 100 of 250 jobs · esc stops"));
    expect(lastFrame()).toContain("esc stop search");
    await tick();
    stdin.write("\u001b");
    await waitFor(() => expect(lastFrame()).toContain("searched only the first 100 of 250 jobs"));
    expect(api.aborted).toBe(1);
    expect(lastFrame()).toContain("needle");
    await tick();
    stdin.write("\u001b");
    await waitFor(() => expect(lastFrame()).toContain("page 1/15"));
    expect(lastFrame()).not.toContain("needle");
    api.release();
    unmount();
  });

  it("opens with the filter and sort from the command line, and f/o cycle on from there", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(30);
    const { lastFrame, stdin, unmount } = render(
      <DashboardScreen
        api={api}
        interactive
        onExit={() => {}}
        initialFilter={filterFor(["FAILED", "DONE"])}
        initialSort={sortFor("status", "desc")}
      />,
    );
    await waitFor(() => expect(lastFrame()).toContain("· failed,done · by status (descending) ·"));
    expect(api.calls[0]).toMatchObject({ status: ["FAILED", "DONE"], sortBy: "status", sortOrder: "desc" });
    stdin.write("f");
    await waitFor(() => expect(lastFrame()).toContain("SLNG Batch jobs · all ·"));
    stdin.write("o");
    await waitFor(() => expect(lastFrame()).toContain("· newest first ·"));
    const preset = render(
      <DashboardScreen api={api} interactive onExit={() => {}} initialFilter={filterFor(["FAILED"])} />,
    );
    await waitFor(() => expect(preset.lastFrame()).toContain("· failed · newest first ·"));
    preset.stdin.write("f");
    await waitFor(() => expect(preset.lastFrame()).toContain("· all ·"));
    preset.unmount();
    unmount();
  });

  it("keeps the selection on the same job when a refresh brings new jobs above it", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(5);
    const { lastFrame, stdin, unmount } = render(
      <DashboardScreen api={api} interactive onExit={() => {}} refreshMs={40} />,
    );
    await waitFor(() => expect(lastFrame()).toMatch(/› job000/));
    await tick();
    stdin.write("j");
    await tick();
    stdin.write("j");
    await waitFor(() => expect(lastFrame()).toMatch(/› job002/));
    api.listItems = [makeJob({ job_id: "newer1" }), makeJob({ job_id: "newer2" }), ...api.listItems];
    await waitFor(() => expect(lastFrame()).toContain("newer2"));
    expect(lastFrame()).toMatch(/› job002/);
    unmount();
  });

  it("keeps the first row in view when the window is resized", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(60);
    const { lastFrame, stdin, stdout, unmount } = render(<DashboardScreen api={api} interactive onExit={() => {}} />);
    await waitFor(() => expect(lastFrame()).toContain("page 1/4"));
    await tick();
    stdin.write("n");
    await tick();
    stdin.write("n");
    await waitFor(() => expect(lastFrame()).toMatch(/page 3\/4[\s\S]*› job034/));
    Object.defineProperty(stdout, "rows", { value: 44, configurable: true });
    stdout.emit("resize");
    await waitFor(() => expect(lastFrame()).toContain("page 1/2"));
    expect(lastFrame()).toContain("job034");
    expect(api.calls.at(-1)).toMatchObject({ page: 1, pageSize: 37 });
    unmount();
  });
});

describe("DashboardScreen keys and resizing", () => {
  it("moves one row per key of a burst read at once (jjjjj), like arrows", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(12);
    const { lastFrame, stdin, unmount } = render(<DashboardScreen api={api} interactive onExit={() => {}} />);
    await waitFor(() => expect(lastFrame()).toMatch(/› job000/));
    await tick();
    stdin.write("jjjjj");
    await waitFor(() => expect(lastFrame()).toMatch(/› job005/));
    stdin.write("kk");
    await waitFor(() => expect(lastFrame()).toMatch(/› job003/));
    unmount();
  });

  it("keeps the selected job selected when the window is resized", async () => {
    const api = new CountingApi();
    api.listItems = manyJobs(60);
    const { lastFrame, stdin, stdout, unmount } = render(<DashboardScreen api={api} interactive onExit={() => {}} />);
    await waitFor(() => expect(lastFrame()).toContain("page 1/4"));
    await tick();
    stdin.write("n");
    await waitFor(() => expect(lastFrame()).toMatch(/page 2\/4[\s\S]*› job017/));
    await tick();
    stdin.write("jjj");
    await waitFor(() => expect(lastFrame()).toMatch(/› job020/));
    Object.defineProperty(stdout, "rows", { value: 12, configurable: true });
    stdout.emit("resize");
    await waitFor(() => expect(api.calls.at(-1)).toMatchObject({ page: 5, pageSize: 5 }));
    await waitFor(() => expect(lastFrame()).toContain("page 5/12"));
    expect(lastFrame()).toMatch(/› job020/);
    unmount();
  });
});

describe("DashboardScreen with a refused key", () => {
  it("ends through onFatal on a 403 at the first load, and never says 'no jobs yet' over an error", async () => {
    const api = new CountingApi();
    api.listPage = async () => {
      throw Object.assign(new Error("API key id not found"), { status: 403 });
    };
    const onFatal = vi.fn();
    const { unmount } = render(<DashboardScreen api={api} interactive onExit={() => {}} onFatal={onFatal} />);
    await waitFor(() => expect(onFatal).toHaveBeenCalledTimes(1));
    unmount();
    const frame = render(<Dashboard {...dashboardProps} jobs={[]} error="API unreachable: ECONNREFUSED" />).lastFrame();
    expect(frame).toContain("could not load the jobs");
    expect(frame).not.toContain("no jobs yet");
  });
});

describe("WatchScreen --stay", () => {
  const doneApi = () => {
    const api = new FakeApi();
    api.transcript = Array.from({ length: 30 }, (_, i) => `Transcript row ${i + 1}`).join("\n");
    api.watchRuns = [[{ job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) }]];
    return api;
  };

  it("q leaves a clean final frame: no key bar, no 't to read all', the final status line", async () => {
    const controller = new WatchController(doneApi(), "job123", { estimate: false });
    void controller.run();
    const onExit = vi.fn();
    const { lastFrame, stdin, unmount } = render(
      <WatchScreen controller={controller} interactive stay onExit={onExit} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("t to read all"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalled());
    const out = lastFrame() ?? "";
    expect(out).toContain("✓ DONE · exit code 0");
    expect(out).not.toContain("t to read all");
    expect(out).not.toMatch(/q quit|\? help/);
    expect(out).toContain("slng-batch transcript job123");
    unmount();
  });

  it("Ctrl+C on an ended watch ends it as interrupted: exit 130, said on the final line", async () => {
    const controller = new WatchController(doneApi(), "job123", { estimate: false });
    void controller.run();
    const onExit = vi.fn();
    const { lastFrame, stdin, unmount } = render(
      <WatchScreen controller={controller} interactive stay onExit={onExit} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("? help"));
    await tick();
    stdin.write("\u0003");
    await waitFor(() => expect(onExit).toHaveBeenCalledWith(true));
    expect(lastFrame()).toContain("✗ DONE, then interrupted · exit code 130");
    expect(lastFrame()).not.toContain("? help");
    unmount();
  });

  it("after d, the outputs are neither shown nor offered for saving", async () => {
    const api = doneApi();
    const controller = new WatchController(api, "job123", { estimate: false });
    void controller.run();
    const onSave = vi.fn(async () => "saved");
    const { lastFrame, stdin, unmount } = render(
      <WatchScreen controller={controller} interactive stay onExit={() => {}} onSave={onSave} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("s save outputs"));
    await tick();
    stdin.write("d");
    await waitFor(() => expect(lastFrame()).toContain("y/N"));
    await tick();
    stdin.write("y");
    await waitFor(() => expect(lastFrame()).toContain("Deleted job job123."));
    expect(lastFrame()).not.toContain("s save outputs");
    expect(lastFrame()).not.toContain("Outputs json");
    await tick();
    stdin.write("s");
    await tick();
    expect(onSave).not.toHaveBeenCalled();
    unmount();
  });
});

describe("WatchScreen transcript pager", () => {
  it("scrolls one line per key of a burst (jjjjj)", async () => {
    const api = new FakeApi();
    api.transcript = Array.from({ length: 60 }, (_, i) => `Transcript row ${i + 1}`).join("\n");
    api.watchRuns = [[{ job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) }]];
    const controller = new WatchController(api, "job123", { estimate: false });
    void controller.run();
    const { lastFrame, stdin, unmount } = render(
      <WatchScreen controller={controller} interactive stay onExit={() => {}} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("t transcript"));
    await tick();
    stdin.write("t");
    await waitFor(() => expect(lastFrame()).toMatch(/lines 1–\d+ of 60/));
    await tick();
    stdin.write("jjjjj");
    await waitFor(() => expect(lastFrame()).toMatch(/lines 6–\d+ of 60/));
    unmount();
  });
});

describe("UploadProgress", () => {
  it("shows bar, percent, bytes, speed and time left", () => {
    const out =
      render(
        <UploadProgress
          filename="talk.wav"
          loaded={5 * 1024 * 1024}
          total={20 * 1024 * 1024}
          phase="upload"
          bytesPerSecond={1024 * 1024}
          columns={100}
        />,
      ).lastFrame() ?? "";
    expect(out).toContain("talk.wav — uploading");
    expect(out).toMatch(/█+░+\s+25%/);
    expect(out).toContain("5.0 MiB / 20.0 MiB · 1.0 MiB/s · 0:15 left");
  });

  it("shows the phases and the submitted job", () => {
    expect(
      render(<UploadProgress filename="a.wav" loaded={0} total={0} phase="presign" columns={80} />).lastFrame(),
    ).toContain("requesting upload URL…");
    const done =
      render(
        <UploadProgress filename="a.wav" loaded={10} total={10} phase="done" jobId="xyz" columns={80} />,
      ).lastFrame() ?? "";
    expect(done).toContain("submitted as xyz");
    expect(done).toContain("100%");
  });

  it("draws proportional bars and measures speed over a window", () => {
    expect(progressBar(0.5, 10)).toBe("█████░░░░░");
    const meter = new SpeedMeter(3000);
    expect(meter.add(0, 0)).toBeUndefined();
    expect(meter.add(1000, 1000)).toBe(1000);
    expect(meter.add(5000, 9000)).toBe(2000);
  });
});

describe("WatchScreen keys", () => {
  it("opens help, the transcript pager, refreshes, and quits on q", async () => {
    const api = new FakeApi();
    api.transcript = Array.from({ length: 60 }, (_, i) => `Transcript row ${i + 1}`).join("\n");
    api.watchRuns = [
      [{ job: makeJob({ status: "IN_PROGRESS", started_at: new Date().toISOString() }) }, { hang: true }],
      [{ job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) }],
    ];
    const controller = new WatchController(api, "job123", { estimate: false });
    void controller.run();
    const onExit = vi.fn();
    const { lastFrame, stdin, unmount } = render(
      <WatchScreen controller={controller} interactive stay onExit={onExit} />,
    );
    await waitFor(() => expect(lastFrame()).toContain("IN_PROGRESS"));
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).toContain("watch — keys"));
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).not.toContain("watch — keys"));
    await tick();
    stdin.write("r");
    await waitFor(() => expect(lastFrame()).toContain("Outputs json, txt, srt"));
    expect(api.watchCalls).toBe(2);
    expect(onExit).not.toHaveBeenCalled();
    await tick();
    stdin.write("t");
    await waitFor(() => expect(lastFrame()).toMatch(/lines 1–\d+ of 60/));
    await tick();
    stdin.write("G");
    await waitFor(() => expect(lastFrame()).toContain("Transcript row 60"));
    await tick();
    stdin.write("g");
    await waitFor(() => expect(lastFrame()).toContain("Transcript row 1\n"));
    await tick();
    stdin.write("t");
    await waitFor(() => expect(lastFrame()).toContain("d delete"));
    await tick();
    stdin.write("d");
    await waitFor(() => expect(lastFrame()).toContain("y/N"));
    await tick();
    stdin.write("n");
    await waitFor(() => expect(lastFrame()).toContain("Delete cancelled."));
    expect(api.deleted).toEqual([]);
    await tick();
    stdin.write("d");
    await tick();
    await tick();
    stdin.write("y");
    await waitFor(() => expect(api.deleted).toEqual(["job123"]));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalled());
    unmount();
  });

  it("exits by itself when the job ends without --stay, and stops on Ctrl+C with 130", async () => {
    const api = new FakeApi();
    api.watchRuns = [[{ job: makeJob() }, { job: makeJob({ status: "FAILED" }) }]];
    const c1 = new WatchController(api, "job123", { estimate: false });
    void c1.run();
    const onExit = vi.fn();
    const r1 = render(<WatchScreen controller={c1} interactive onExit={onExit} />);
    await waitFor(() => expect(onExit).toHaveBeenCalled());
    expect(r1.lastFrame()).toContain("exit code 1");
    r1.unmount();

    const api2 = new FakeApi();
    api2.watchRuns = [[{ job: makeJob() }, { hang: true }]];
    const c2 = new WatchController(api2, "job123", { estimate: false });
    const run = c2.run();
    const onExit2 = vi.fn();
    const r2 = render(<WatchScreen controller={c2} interactive onExit={onExit2} />);
    await waitFor(() => expect(r2.lastFrame()).toContain("QUEUED"));
    await tick();
    r2.stdin.write("\u0003");
    expect((await run).code).toBe(130);
    await waitFor(() => expect(onExit2).toHaveBeenCalled());
    expect(r2.lastFrame()).toContain("✗ interrupted (the job keeps running) · exit code 130");
    r2.unmount();
  });
});

describe("q quits from every overlay that lists it; Esc closes the overlay", () => {
  const watching = (transcript = false) => {
    const api = new FakeApi();
    if (transcript) api.transcript = "Transcript row 1\nTranscript row 2";
    api.watchRuns = [
      transcript
        ? [{ job: makeJob({ status: "DONE", completed_at: new Date().toISOString() }) }]
        : [{ job: makeJob({ status: "IN_PROGRESS", started_at: new Date().toISOString() }) }, { hang: true }],
    ];
    const controller = new WatchController(api, "job123", { estimate: false });
    void controller.run();
    const onExit = vi.fn();
    return { onExit, ...render(<WatchScreen controller={controller} interactive stay onExit={onExit} />) };
  };

  it("watch: q in the ? help quits (the help says so), Esc only closes it", async () => {
    const { lastFrame, stdin, unmount, onExit } = watching();
    await waitFor(() => expect(lastFrame()).toContain("IN_PROGRESS"));
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).toContain("? or Esc closes this help · q quits"));
    await tick();
    stdin.write("\u001b");
    await waitFor(() => expect(lastFrame()).not.toContain("watch — keys"));
    expect(onExit).not.toHaveBeenCalled();
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).toContain("watch — keys"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalledWith(false));
    unmount();
  });

  it("watch: q in the transcript pager quits, Esc only closes it", async () => {
    const { lastFrame, stdin, unmount, onExit } = watching(true);
    await waitFor(() => expect(lastFrame()).toContain("t transcript"));
    await tick();
    stdin.write("t");
    await waitFor(() => expect(lastFrame()).toContain("t/Esc close · q quit"));
    await tick();
    stdin.write("\u001b");
    await waitFor(() => expect(lastFrame()).not.toContain("t/Esc close"));
    expect(onExit).not.toHaveBeenCalled();
    await tick();
    stdin.write("t");
    await waitFor(() => expect(lastFrame()).toContain("t/Esc close"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalledWith(false));
    unmount();
  });

  it("jobs: the ? help closes on ? or Esc (as it says), not on any key, and q quits", async () => {
    const api = new FakeApi();
    api.listItems = jobs;
    const onExit = vi.fn();
    const { lastFrame, stdin, unmount } = render(<DashboardScreen api={api} interactive onExit={onExit} />);
    await waitFor(() => expect(lastFrame()).toContain("aaa111"));
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).toContain("this help (? or Esc closes it)"));
    expect(lastFrame()).toContain("? or Esc closes this help · q quits");
    await tick();
    stdin.write("j");
    await tick();
    expect(lastFrame()).toContain("jobs — keys");
    stdin.write("\u001b");
    await waitFor(() => expect(lastFrame()).not.toContain("jobs — keys"));
    await tick();
    stdin.write("?");
    await waitFor(() => expect(lastFrame()).toContain("jobs — keys"));
    await tick();
    stdin.write("q");
    await waitFor(() => expect(onExit).toHaveBeenCalled());
    unmount();
  });
});
