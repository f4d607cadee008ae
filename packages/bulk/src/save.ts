import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { syncDir } from "./journal.js";

/**
 * Writes `body` to `path` atomically: streamed into a temporary file beside it, fsynced, then
 * renamed over `path`. A kill at any instant leaves either no file or the complete one (and
 * perhaps a `.tmp-*` file, never counted as output). Memory stays flat for any size.
 */
export async function saveAtomically(path: string, body: WebReadableStream<Uint8Array> | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    const source = typeof body === "string" ? Readable.from([body]) : Readable.fromWeb(body);
    await pipeline(source, createWriteStream(tmp));
    const h = await open(tmp, "r+");
    await h.sync();
    await h.close();
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dirname(path));
}
