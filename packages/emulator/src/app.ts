import { Hono } from "hono";
import type { AppEnv, EmulatorContext } from "./context.js";
import { corsMiddleware } from "./cors.js";
import { ApiError, errorResponse } from "./errors.js";
import { JobOutputs } from "./job-outputs.js";
import { bearerAuth } from "./middleware/auth.js";
import { injectFaults } from "./middleware/inject-faults.js";
import { requestId } from "./middleware/request-id.js";
import { requestLog } from "./middleware/request-log.js";
import { createJobRoute } from "./routes/create-job.js";
import { deleteJobRoute } from "./routes/delete-job.js";
import type { RouteDeps } from "./routes/deps.js";
import { getJobRoute } from "./routes/get-job.js";
import { jobFilesRoute } from "./routes/job-files.js";
import { listJobsRoute } from "./routes/list-jobs.js";
import { storageDownloadRoute } from "./routes/storage-download.js";
import { storageUploadRoute } from "./routes/storage-upload.js";
import { redactSignatures } from "./signing.js";

export { DROP_MARKER_HEADER, FAULT_INJECTED_HEADER } from "./middleware/headers.js";

/**
 * Builds the emulator's Hono app: shared middleware (request id, log, CORS, faults, and the API key on
 * `/v1/*`), then one route module per operation — the Batch API under `/v1/batch/jobs`, the
 * signed storage URLs under `/storage` — and the error envelope for every failure.
 */
export function buildApp(ctx: EmulatorContext): Hono<AppEnv> {
  const deps: RouteDeps = { ctx, outputs: new JobOutputs(ctx) };
  const jobs = new Hono<AppEnv>()
    .route("/", createJobRoute(deps))
    .route("/", listJobsRoute(deps))
    .route("/", getJobRoute(deps))
    .route("/", deleteJobRoute(deps))
    .route("/", jobFilesRoute(deps));
  const storage = new Hono<AppEnv>().route("/", storageUploadRoute(deps)).route("/", storageDownloadRoute(deps));

  const app = new Hono<AppEnv>();
  app.use("*", requestId());
  app.use("*", requestLog(ctx));
  app.use("*", corsMiddleware(ctx.corsOrigins));
  app.use("*", injectFaults(ctx));
  app.use("/v1/*", bearerAuth(ctx));
  app.route("/v1/batch/jobs", jobs);
  app.route("/storage", storage);
  app.notFound((c) => errorResponse(404, `Not found: ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 100)}`));
  app.onError((err) => {
    if (err instanceof ApiError) return errorResponse(err.status, err.message, err.headers);
    ctx.log?.(`internal error: ${redactSignatures(err instanceof Error ? err.message : String(err))}`);
    return errorResponse(500, "Internal server error");
  });
  return app;
}
