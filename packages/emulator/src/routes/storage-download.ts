import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { OutputFormat } from "@slng/types";
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { jobStatus } from "../store.js";
import type { RouteDeps } from "./deps.js";
import { storageKey } from "./storage-key.js";

const OUTPUT_CONTENT_TYPES: Record<OutputFormat, string> = {
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  srt: "application/x-subrip; charset=utf-8",
};

const gone = () => new ApiError(404, "The file does not exist (its job may have been deleted or expired)");

/**
 * A signed download — `GET /storage/<key>?<signature>`: streams a job's input, or an output of a
 * DONE job (written on first request); 404 once the job was deleted or expired. Each read asks
 * for at most the file's size and one byte (Node allocates a buffer of that size per read).
 */
export function storageDownloadRoute({ ctx, outputs }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get("/*", async (c) => {
    const key = storageKey(c);
    const now = ctx.now();
    const problem = ctx.signer.verify("GET", key, new URL(c.req.url).searchParams, now, "");
    if (problem) throw new ApiError(403, problem);
    const id = /^(?:inputs\/([A-Za-z0-9]+)\.|outputs\/([A-Za-z0-9]+)\/)/.exec(key);
    const job = ctx.store.jobs.get(id?.[1] ?? id?.[2] ?? "");
    if (job) await outputs.purgeIfExpired(job, now);
    if (!job || job.filesPurged || job.deletedAt !== undefined) throw gone();
    let contentType = job.input.mimeType;
    if (key.startsWith("outputs/")) {
      if (jobStatus(job, now) !== "DONE") throw gone();
      await outputs.ensure(job);
      contentType = OUTPUT_CONTENT_TYPES[key.slice(key.lastIndexOf(".") + 1) as OutputFormat];
    } else if (key !== job.input.key) throw gone();
    const size = await ctx.storage.size(key);
    if (size === undefined) throw gone();
    const file = createReadStream(ctx.storage.pathOf(key), { highWaterMark: Math.min(65_536, size + 1) });
    const stream = Readable.toWeb(file) as ReadableStream<Uint8Array>;
    return new Response(stream, {
      status: 200,
      headers: { "content-type": contentType, "content-length": String(size) },
    });
  });
}
