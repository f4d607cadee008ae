import type { Context } from "hono";
import type { AppEnv, EmulatorContext } from "../context.js";
import { ApiError } from "../errors.js";
import type { JobOutputs } from "../job-outputs.js";
import type { JobRecord } from "../store.js";
import { validateJobId } from "../validation.js";

/** What every route module shares: the emulator's state and its job files. */
export interface RouteDeps {
  ctx: EmulatorContext;
  outputs: JobOutputs;
}

/** The job named by the `:jobId` path parameter, if the caller's key owns it; 400/404 otherwise. */
export function ownJob(ctx: EmulatorContext, c: Context<AppEnv>): JobRecord {
  const id = validateJobId(c.req.param("jobId"));
  const job = ctx.store.get(id, c.get("owner").id);
  if (!job) throw new ApiError(404, "Job not found");
  return job;
}

/** The origin the request came to (storage URLs are built from it). */
export function originOf(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}
