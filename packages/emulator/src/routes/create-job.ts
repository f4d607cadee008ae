import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { readJsonBody } from "../request-body.js";
import { quote } from "../validation.js";
import { createFromUrl } from "./create-from-url.js";
import { createMultipart } from "./create-multipart.js";
import type { RouteDeps } from "./deps.js";
import { presign } from "./presign.js";
import { completePresign } from "./presign-complete.js";

/**
 * `batchJobsCreate` — `POST /v1/batch/jobs`: the content type and the JSON body's keys pick the
 * mode (file upload, URL input, presign request, presign completion).
 */
export function createJobRoute(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().post("/", async (c) => {
    const owner = c.get("owner");
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (type.startsWith("multipart/form-data")) return createMultipart(deps, c, owner);
    if (/^application\/([\w.+-]+\+)?json\b/.test(type)) {
      const body = await readJsonBody(c);
      if ("mode" in body) return presign(deps, c, owner, body);
      if ("s3_key" in body) return completePresign(deps, owner, body);
      if ("input_url" in body) return createFromUrl(deps, owner, body);
      throw new ApiError(
        400,
        'The JSON body must contain input_url (URL input), "mode": "presign" (request an upload URL) or s3_key (create the job from a presigned upload)',
      );
    }
    throw new ApiError(
      400,
      `Unsupported Content-Type ${quote(type || "(none)")}: send multipart/form-data (file upload) or application/json (URL input or presigned upload)`,
    );
  });
}
