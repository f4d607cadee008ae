import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { SlngNetworkError } from "@slng/client";

/**
 * Writes `body` (text, or a response whose body is streamed) to `path` atomically: into a
 * temporary file beside it, fsynced, then renamed over `path` (the folder is not fsynced for each
 * file: should a power cut lose a rename, the rerun sees the file missing and downloads it again,
 * as it checks every output exists before it counts an input done). A kill at any instant leaves
 * either no file or the complete one (and perhaps a `.tmp-*` file, never counted as output).
 * A response body shorter than its `Content-Length` is refused (retryable), never saved.
 * Memory stays flat for any size.
 */
export async function saveAtomically(path: string, body: Response | string): Promise<void> {
  const source =
    typeof body === "string"
      ? Readable.from([body])
      : Readable.fromWeb((body.body ?? new Blob([]).stream()) as WebReadableStream<Uint8Array>);
  const expected = typeof body === "string" ? undefined : body.headers.get("content-length");
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    await pipeline(source, createWriteStream(tmp));
    const size = (await stat(tmp)).size;
    if (expected !== null && expected !== undefined && Number(expected) !== size)
      throw new SlngNetworkError(`the download of ${path} ended after ${size} of ${expected} bytes`, {});
    const h = await open(tmp, "r+");
    await h.sync();
    await h.close();
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
