import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError, tooLargeMessage } from "../errors.js";
import { contentLength } from "../request-body.js";
import type { RouteDeps } from "./deps.js";
import { storageKey } from "./storage-key.js";

/** A presigned PUT whose reservation was consumed, voided or expired: the job's input is immutable. */
const NO_LONGER_VALID =
  "This upload URL is no longer valid: a job was created with its job_id (a job's input cannot be replaced), or the URL expired — request a new upload URL";

/** Presign step 2 — `PUT /storage/<key>?<signature>`: stores the raw bytes for a live reservation. */
export function storageUploadRoute({ ctx }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().put("/*", async (c) => {
    const key = storageKey(c);
    const query = new URL(c.req.url).searchParams;
    const problem = ctx.signer.verify("PUT", key, query, ctx.now(), c.req.header("content-type") ?? "");
    if (problem) throw new ApiError(403, problem);
    const pending = ctx.store.pending.get(key, ctx.now());
    if (!pending) throw new ApiError(403, NO_LONGER_VALID);
    const declared = contentLength(c);
    if (declared !== undefined && declared > ctx.maxInputBytes)
      throw new ApiError(413, tooLargeMessage(ctx.maxInputBytes), { connection: "close" });
    if (!c.req.raw.body) throw new ApiError(400, "The upload has no body");
    const temp = ctx.storage.tempPath();
    await ctx.storage.writeStream(c.req.raw.body, temp, ctx.maxInputBytes);
    // Checked and committed in one synchronous step, so no create can slip in between.
    if (!ctx.store.pending.isLive(pending, ctx.now())) {
      await rm(temp, { force: true });
      throw new ApiError(403, NO_LONGER_VALID);
    }
    ctx.storage.commitSync(temp, key);
    pending.uploaded = true;
    const etag = `"${createHash("md5").update(`${key}:${Date.now()}`).digest("hex")}"`;
    return new Response(null, { status: 200, headers: { etag } });
  });
}
