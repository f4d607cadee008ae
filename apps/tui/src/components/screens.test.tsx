import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { WatchController } from "../lib/watch-controller.js";
import { FakeApi, makeJob, waitFor } from "../test-utils/fake-api.js";
import { Dashboard, SORTS, STATUS_FILTERS, searchJobs } from "./dashboard.js";
import { DashboardScreen } from "./dashboard-screen.js";
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

describe("Dashboard", () => {
  const base = {
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

  it("draws the table with the selected row and page position", () => {
    const { lastFrame } = render(<Dashboard {...base} />);
    const out = lastFrame() ?? "";
    expect(out).toContain("SLNG Batch jobs · all · newest first · page 1/1 · 3 jobs");
    expect(out).toMatch(/ID\s+STATUS\s+TITLE\s+SUBMITTED\s+AUDIO/);
    expect(out).toMatch(/› bbb222\s+▸ DECODING\s+Podcast 12\s+5m ago\s+5 min 12 s/);
    expect(out).toMatch(/ {2}aaa111\s+✓ DONE\s+Board meeting/);
    expect(out).toContain("enter watch");
    expect(out).not.toContain("d delete");
  });

  it("offers delete on a finished job, search, empty and error states", () => {
    expect(render(<Dashboard {...base} selected={0} />).lastFrame()).toContain("d delete");
    const searching = render(<Dashboard {...base} search="pod" searching selected={0} />).lastFrame() ?? "";
    expect(searching).toContain("bbb222");
    expect(searching).not.toContain("aaa111");
    expect(searching).toContain("/pod");
    expect(render(<Dashboard {...base} jobs={[]} />).lastFrame()).toContain("no jobs");
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
    expect(r2.lastFrame()).toContain("interrupted · exit code 130");
    r2.unmount();
  });
});
