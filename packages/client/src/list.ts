import type { BatchJob, JobListResponse } from "@slng/types";
import { isPage } from "./checks.js";
import { call, JOBS, type SlngCore, tx } from "./core.js";
import { promised, type SlngPromise } from "./respond.js";
import { type ListFilters, toQuery } from "./validate.js";

/** All jobs matching the filters, fetched page by page as you iterate; `pages()` yields whole pages. */
export interface JobList extends AsyncIterable<BatchJob> {
  pages(): AsyncIterable<JobListResponse>;
}

/** One page of the job list (`GET /v1/batch/jobs`); the filters are checked before any request. */
export function listJobsPage(core: SlngCore, filters: ListFilters = {}): SlngPromise<JobListResponse> {
  return promised(() => {
    const query = toQuery(filters);
    return call<JobListResponse>(
      core,
      tx(core, filters),
      { method: "GET", path: JOBS, query: query as Record<string, string | number>, signal: filters.signal },
      `GET ${JOBS}`,
      isPage,
      "a page of jobs",
    );
  });
}

/**
 * Every job matching `filters`, from `filters.page` (default 1) to the last page, each job once
 * (a job that moves between pages while you iterate is not repeated). Throws on bad filters at once.
 */
export function listJobs(core: SlngCore, filters: ListFilters = {}): JobList {
  toQuery(filters);
  async function* pages() {
    for (let page = filters.page ?? 1; ; page++) {
      const res = await listJobsPage(core, { ...filters, page });
      yield res;
      if (page >= res.meta.pages || res.items.length === 0) return;
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      const seen = new Set<string>();
      for await (const { items } of pages())
        for (const job of items)
          if (!seen.has(job.job_id)) {
            seen.add(job.job_id);
            yield job;
          }
    },
  };
}
