import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { jsonResponse } from "../errors.js";
import { toBatchJob } from "../store.js";
import { ownJob, type RouteDeps } from "./deps.js";

/** `batchJobsGet` — `GET /v1/batch/jobs/{jobId}`: the full job, its status derived from the clock. */
export function getJobRoute({ ctx, outputs }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get("/:jobId", async (c) => {
    const job = ownJob(ctx, c);
    const now = ctx.now();
    await outputs.purgeIfExpired(job, now);
    return jsonResponse(200, toBatchJob(job, now, ctx.retentionSeconds));
  });
}
