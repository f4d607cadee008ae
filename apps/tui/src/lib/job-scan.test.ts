import type { JobListResponse } from "@slng/types";
import { describe, expect, it } from "vitest";
import { FakeApi, makeJob, waitFor } from "../test-utils/fake-api.js";
import type { ListFilters } from "./api.js";
import { JobScan } from "./job-scan.js";

/** A FakeApi that records list calls and can hold a page until released (or aborted). */
class ListApi extends FakeApi {
  calls: ListFilters[] = [];
  hold = new Set<number>();
  private releases: (() => void)[] = [];

  override async listPage(filters: ListFilters = {}): Promise<JobListResponse> {
    this.calls.push(filters);
    if (this.hold.has(filters.page ?? 1)) {
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        filters.signal?.addEventListener("abort", () =>
          reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
        );
      });
    }
    return super.listPage(filters);
  }

  release(): void {
    this.hold.clear();
    for (const r of this.releases.splice(0)) r();
  }
}

const many = (n: number, title = (i: number) => `Recording ${i}`) =>
  Array.from({ length: n }, (_, i) =>
    makeJob({ job_id: `job${i}`, job_config: { type: "transcription", tracking: { title: title(i) } } }),
  );

const query = { sortBy: "submitted_at" as const, sortOrder: "desc" as const };

describe("JobScan", () => {
  it("reads every page, 100 jobs a request, one request at a time, with the filter and sort", async () => {
    const api = new ListApi();
    api.listItems = many(250);
    const scan = new JobScan(api, { status: ["QUEUED"], ...query });
    scan.start();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    const s = scan.snapshot();
    expect(s.jobs).toHaveLength(250);
    expect(s.total).toBe(250);
    expect(s.running).toBe(false);
    expect(api.calls.map((c) => [c.page, c.pageSize])).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
    expect(api.calls[0]).toMatchObject({ status: ["QUEUED"], sortBy: "submitted_at", sortOrder: "desc" });
  });

  it("pauses at the cap and goes on with more()", async () => {
    const api = new ListApi();
    api.listItems = many(250);
    const scan = new JobScan(api, query, { cap: 100 });
    scan.start();
    await waitFor(() => expect(scan.snapshot().paused).toBe(true));
    expect(scan.snapshot().jobs).toHaveLength(100);
    expect(api.calls).toHaveLength(1);
    scan.more();
    await waitFor(() => expect(scan.snapshot().paused).toBe(true));
    expect(scan.snapshot().jobs).toHaveLength(200);
    scan.more();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    expect(api.calls).toHaveLength(3);
    expect(scan.snapshot().paused).toBe(false);
  });

  it("stop() aborts the request in flight and keeps what was read", async () => {
    const api = new ListApi();
    api.listItems = many(250);
    api.hold.add(2);
    const scan = new JobScan(api, query);
    scan.start();
    await waitFor(() => expect(api.calls).toHaveLength(2));
    expect(scan.snapshot().running).toBe(true);
    scan.stop();
    expect(api.calls[1]?.signal?.aborted).toBe(true);
    const s = scan.snapshot();
    expect(s.running).toBe(false);
    expect(s.paused).toBe(true);
    expect(s.jobs).toHaveLength(100);
    api.release();
    scan.more();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    expect(scan.snapshot().jobs).toHaveLength(250);
  });

  it("reads a job pushed to the next page by a new submission once", async () => {
    const api = new ListApi();
    api.listItems = many(150);
    api.hold.add(2);
    const scan = new JobScan(api, query);
    scan.start();
    await waitFor(() => expect(api.calls).toHaveLength(2));
    api.listItems = [makeJob({ job_id: "fresh" }), ...api.listItems];
    api.release();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    const ids = scan.snapshot().jobs.map((j) => j.job_id);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });

  it("reports an error, and more() tries again", async () => {
    const api = new ListApi();
    api.listItems = many(10);
    api.listError = new Error("API unreachable");
    const scan = new JobScan(api, query);
    scan.start();
    await waitFor(() => expect(scan.snapshot().error).toContain("API unreachable"));
    expect(scan.snapshot().paused).toBe(false);
    api.listError = undefined;
    scan.more();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    expect(scan.snapshot().error).toBeUndefined();
  });

  it("refresh() re-reads a one-request scan but leaves a larger one as it was", async () => {
    const api = new ListApi();
    api.listItems = many(5);
    const small = new JobScan(api, query);
    small.start();
    await waitFor(() => expect(small.snapshot().complete).toBe(true));
    api.listItems = [makeJob({ job_id: "job0", status: "DONE" }), ...api.listItems.slice(1)];
    await small.refresh();
    expect(small.snapshot().jobs[0]?.status).toBe("DONE");
    expect(api.calls).toHaveLength(2);

    const big = new JobScan(api, query, { pageSize: 2 });
    api.calls = [];
    big.start();
    await waitFor(() => expect(big.snapshot().complete).toBe(true));
    const before = api.calls.length;
    await big.refresh();
    expect(api.calls.length).toBe(before);
  });

  it("remove() drops a deleted job", async () => {
    const api = new ListApi();
    api.listItems = many(3);
    const scan = new JobScan(api, query);
    scan.start();
    await waitFor(() => expect(scan.snapshot().complete).toBe(true));
    scan.remove("job1");
    expect(scan.snapshot().jobs.map((j) => j.job_id)).toEqual(["job0", "job2"]);
    expect(scan.snapshot().total).toBe(2);
  });
});
