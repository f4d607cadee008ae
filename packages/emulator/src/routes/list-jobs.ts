import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { jsonResponse } from "../errors.js";
import { parseListQuery } from "../validation.js";
import type { RouteDeps } from "./deps.js";

/** `batchJobsList` — `GET /v1/batch/jobs`: one page of the caller's jobs, filtered and sorted. */
export function listJobsRoute({ ctx }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get("/", (c) => {
    const q = parseListQuery(new URL(c.req.url).searchParams);
    const { items, total } = ctx.store.list(c.get("owner").id, q, ctx.now(), ctx.retentionSeconds);
    return jsonResponse(200, {
      items,
      meta: { page: q.page, page_size: q.pageSize, total, pages: Math.ceil(total / q.pageSize) },
    });
  });
}
