import type { JobFilesResponse } from "@slng/types";
import { DOWNLOAD_URL_EXPIRES_IN, OUTPUT_FORMATS } from "@slng/types";
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { jsonResponse } from "../errors.js";
import { s3Uri } from "../storage.js";
import { jobStatus } from "../store.js";
import { originOf, ownJob, type RouteDeps } from "./deps.js";

/**
 * `batchJobsFiles` — `GET /v1/batch/jobs/{jobId}/files`: the input and, once DONE, one output per
 * format, each with a signed download URL (none after delete or expiry).
 */
export function jobFilesRoute({ ctx, outputs }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get("/:jobId/files", async (c) => {
    const job = ownJob(ctx, c);
    const now = ctx.now();
    await outputs.purgeIfExpired(job, now);
    const origin = originOf(c);
    const sign = (key: string) =>
      ctx.signer.sign(origin, { method: "GET", key, issuedAt: now, expiresIn: DOWNLOAD_URL_EXPIRES_IN });
    const body: JobFilesResponse = { job_id: job.id, inputs: [], outputs: [] };
    if (!job.filesPurged && job.deletedAt === undefined) {
      body.inputs.push({ key: job.input.key, s3_uri: s3Uri(job.input.key), download_url: sign(job.input.key) });
      if (jobStatus(job, now) === "DONE") {
        for (const format of OUTPUT_FORMATS) {
          const key = `outputs/${job.id}/transcript.${format}`;
          body.outputs.push({ format, key, s3_uri: s3Uri(key), download_url: sign(key) });
        }
      }
    }
    return jsonResponse(200, body);
  });
}
