import { rm } from "node:fs/promises";
import type { Context } from "hono";
import type { AppEnv, Owner } from "../context.js";
import { createJobFromFile, multipartOptions, validateMultipartField } from "../create.js";
import { ApiError, tooLargeMessage } from "../errors.js";
import { receiveMultipart } from "../multipart.js";
import { contentLength } from "../request-body.js";
import { acknowledge } from "./acknowledge.js";
import type { RouteDeps } from "./deps.js";

const MULTIPART_OVERHEAD = 1024 * 1024;

/** File upload (`multipart/form-data`): the file streams to disk, fields are checked as they arrive. */
export async function createMultipart({ ctx }: RouteDeps, c: Context<AppEnv>, owner: Owner): Promise<Response> {
  const declared = contentLength(c);
  if (declared !== undefined && declared > ctx.maxInputBytes + MULTIPART_OVERHEAD) {
    throw new ApiError(413, tooLargeMessage(ctx.maxInputBytes), { connection: "close" });
  }
  const { fields, file } = await receiveMultipart(
    c.req.raw.body,
    c.req.header("content-type") ?? "",
    ctx.storage,
    ctx.maxInputBytes,
    "file",
    (name, value) => validateMultipartField(ctx, owner, name, value),
  ).catch((e: unknown) => {
    // The rest of the body may still be on its way: answer and close rather than read it.
    if (e instanceof ApiError) throw new ApiError(e.status, e.message, { ...e.headers, connection: "close" });
    throw e;
  });
  if (!file) {
    throw new ApiError(
      400,
      "Missing file: send the audio in the multipart field 'file' (e.g. curl -F file=@audio.wav)",
    );
  }
  let opts: ReturnType<typeof multipartOptions>;
  try {
    opts = multipartOptions(ctx, owner, fields);
  } catch (e) {
    await rm(file.path, { force: true });
    throw e;
  }
  const job = await createJobFromFile(ctx, owner, opts, {
    path: file.path,
    size: file.size,
    name: file.filename,
    mime: file.mimeType,
    source: "upload",
  });
  return acknowledge(job);
}
