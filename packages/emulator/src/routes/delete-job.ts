import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError, jsonResponse } from "../errors.js";
import { jobStatus } from "../store.js";
import { ownJob, type RouteDeps } from "./deps.js";

/** `batchJobsDelete` — `DELETE /v1/batch/jobs/{jobId}`: a DONE or FAILED job becomes DELETED (409 otherwise). */
export function deleteJobRoute({ ctx, outputs }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().delete("/:jobId", async (c) => {
    const job = ownJob(ctx, c);
    const now = ctx.now();
    const status = jobStatus(job, now);
    if (status !== "DONE" && status !== "FAILED") {
      throw new ApiError(409, `Job must be DONE or FAILED to delete (it is ${status})`);
    }
    ctx.store.markDeleted(job, now);
    await outputs.purge(job);
    ctx.store.compactDeleted(job);
    return jsonResponse(202, { job_id: job.id, status: "DELETED" });
  });
}
