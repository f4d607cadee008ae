import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, renameSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type PreparedDataDir, prepareDataDir } from "./data-dir.js";
import { ApiError, tooLargeMessage } from "./errors.js";

/** Bucket name in the `s3://` URIs the emulator reports. */
export const BUCKET = "slng-emulator";

/** Storage keys the emulator serves: `inputs/<jobId>.<ext>` and `outputs/<jobId>/transcript.<format>`. */
const KEY_PATTERN =
  /^(?:inputs\/[A-Za-z0-9]{1,128}\.(?:wav|mp3|flac|aac|ogg|m4a|mp4|amr|mpeg)|outputs\/[A-Za-z0-9]{1,128}\/transcript\.(?:json|txt|srt))$/;

/** True when `key` is one of the emulator's own key shapes (so it can never escape the data dir). */
export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The `s3://` URI of a key. */
export function s3Uri(key: string): string {
  return `s3://${BUCKET}/${key}`;
}

/** Raised when a stream passes the size limit (`limit` bytes); the message names the limit. */
export class TooLargeError extends ApiError {
  constructor(limit: number) {
    super(413, tooLargeMessage(limit), { connection: "close" });
  }
}

class Limit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) cb(new TooLargeError(this.limit));
    else cb(null, chunk);
  }
}

/** The emulator's file store: a directory with `inputs/`, `outputs/` and `tmp/`. */
export class Storage {
  readonly dir: string;
  readonly #owned: boolean;

  /** What was removed at start from a given data dir (paths relative to it), and links left alone. */
  readonly prepared: PreparedDataDir;

  /** Uses `dataDir` (see {@link prepareDataDir}: never a user's folder) or a fresh temp dir. */
  constructor(dataDir: string | undefined) {
    if (dataDir) {
      this.prepared = prepareDataDir(dataDir);
      this.dir = dataDir;
      this.#owned = false;
    } else {
      this.prepared = { removed: [], skippedLinks: [] };
      this.dir = mkdtempSync(join(tmpdir(), "slng-emulator-"));
      this.#owned = true;
    }
    for (const sub of ["inputs", "outputs", "tmp"]) mkdirSync(join(this.dir, sub), { recursive: true });
  }

  /** Disk path of a validated key. */
  pathOf(key: string): string {
    if (!isValidKey(key)) throw new ApiError(400, "Invalid storage key");
    return join(this.dir, ...key.split("/"));
  }

  /** A fresh path under `tmp/` for an upload in flight. */
  tempPath(): string {
    return join(this.dir, "tmp", randomBytes(12).toString("hex"));
  }

  /**
   * Streams `source` to `path`, never holding it in memory, and stops with 413 as soon as more
   * than `limit` bytes arrive. On any failure the partial file is removed. Returns the byte count.
   */
  async writeStream(source: Readable | ReadableStream<Uint8Array>, path: string, limit: number): Promise<number> {
    const input =
      source instanceof Readable
        ? source
        : Readable.fromWeb(source as import("node:stream/web").ReadableStream<Uint8Array>);
    const counter = new Limit(limit);
    try {
      await pipeline(input, counter, createWriteStream(path));
      return counter.bytes;
    } catch (e) {
      input.destroy();
      await rm(path, { force: true });
      throw e;
    }
  }

  /** Moves a finished temp file to its key. */
  async commit(tempPath: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    mkdirSync(join(target, ".."), { recursive: true });
    await rename(tempPath, target);
  }

  /** Moves a finished temp file to its key in one synchronous step (atomic with the caller's checks). */
  commitSync(tempPath: string, key: string): void {
    const target = this.pathOf(key);
    mkdirSync(join(target, ".."), { recursive: true });
    renameSync(tempPath, target);
  }

  /** Size of a stored key, or undefined when absent. */
  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return undefined;
    }
  }

  /** Removes keys (missing ones are ignored). */
  async remove(...keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => rm(this.pathOf(k), { force: true })));
  }

  /** Removes the whole directory if this store created it. */
  async dispose(): Promise<void> {
    if (this.#owned) await rm(this.dir, { recursive: true, force: true });
  }
}
