import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, realpath, rename, rm } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { SlngNetworkError } from "@slng/client";

/**
 * An output that bulk will not write: the path holds a file it did not write, or its folder
 * resolves (through a symlink) outside the output folder. Not retryable; the input is reported
 * and a rerun checks again.
 */
export class OutputConflictError extends Error {
  override readonly name = "OutputConflictError";
  readonly retryable = false;
}

const isInside = (root: string, real: string) => {
  const rel = relative(root, real);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
};

/** The real path of `dir`, or of its nearest existing ancestor when it does not exist yet. */
async function realExisting(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      return await realpath(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || dirname(d) === d) throw e;
    }
  }
}

/**
 * Throws {@link OutputConflictError} unless the folder of `path` (or, before it exists, its
 * nearest existing ancestor) has its real path under the real path of `root`: a symlinked folder
 * inside the output folder cannot carry a write outside it.
 */
export async function checkInside(root: string, path: string): Promise<void> {
  const realRoot = await realExisting(root);
  const real = await realExisting(dirname(path));
  if (!isInside(realRoot, real))
    throw new OutputConflictError(
      `${path}: its folder leads outside the output folder (to ${real}); bulk writes only inside --out, so it was not saved`,
    );
}

const isResponse = (body: unknown): body is Response =>
  typeof (body as Partial<Response> | undefined)?.headers?.get === "function";

/** The pieces of a body, one at a time, and a way to drop the rest. */
interface Pieces {
  next(): Promise<string | Uint8Array | undefined>;
  cancel(): void;
}

/** `body` as {@link Pieces}; a response's body is locked at once (before any await: undici cancels the body of a collected response). */
function piecesOf(body: Response | string | Iterable<string> | AsyncIterable<string>): Pieces {
  if (isResponse(body)) {
    const reader = body.body?.getReader();
    return {
      next: async () => {
        const r = await reader?.read();
        return r && !r.done ? r.value : undefined;
      },
      cancel: () => void reader?.cancel().catch(() => {}),
    };
  }
  if (typeof body !== "string" && Symbol.asyncIterator in body) {
    const it = body[Symbol.asyncIterator]();
    return {
      next: async () => (await it.next()).value ?? undefined,
      cancel: () => void it.return?.()?.catch(() => {}),
    };
  }
  const it = (typeof body === "string" ? [body] : body)[Symbol.iterator]();
  return { next: async () => it.next().value ?? undefined, cancel: () => void it.return?.() };
}

/**
 * Writes `body` (text, text in pieces, or a response whose body is streamed) to `path` atomically: into a new
 * temporary file beside it (created exclusively, never through a link), fsynced, then renamed
 * over `path` — a symlink at `path` is replaced, never followed (the folder is not fsynced for
 * each file: should a power cut lose a rename, the rerun sees the file missing and downloads it
 * again). With `root`, the folder must stay inside `root` by real path ({@link checkInside}),
 * before and after it is created. A kill at any instant leaves either no file or the complete
 * one (and perhaps a `.tmp-*` file, never counted as output). A response body shorter than its
 * `Content-Length` is refused (retryable), never saved; so is a temporary file removed before its
 * rename ({@link TempVanishedError}). One piece is held at a time: memory stays flat for any size.
 */
export async function saveAtomically(
  path: string,
  body: Response | string | Iterable<string> | AsyncIterable<string>,
  root?: string,
): Promise<void> {
  const pieces = piecesOf(body);
  const expected = isResponse(body) ? body.headers.get("content-length") : null;
  try {
    if (root) await checkInside(root, path);
    await mkdir(dirname(path), { recursive: true });
    if (root) await checkInside(root, path);
  } catch (e) {
    pieces.cancel();
    throw e;
  }
  const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  let h: FileHandle | undefined;
  try {
    h = await open(tmp, "wx");
    let size = 0;
    for (let piece = await pieces.next(); piece !== undefined; piece = await pieces.next()) {
      await h.writeFile(piece);
      size += typeof piece === "string" ? Buffer.byteLength(piece) : piece.byteLength;
    }
    if (expected !== null && Number(expected) !== size)
      throw new SlngNetworkError(`the download of ${path} ended after ${size} of ${expected} bytes`, {});
    await h.sync();
    await h.close();
    h = undefined;
    await rename(tmp, path);
  } catch (e) {
    pieces.cancel();
    await h?.close().catch(() => {});
    await rm(tmp, { force: true });
    throw (e as NodeJS.ErrnoException).code === "ENOENT" ? new TempVanishedError(tmp, e) : e;
  }
}

/**
 * The temporary file of a save (or its folder) disappeared before it was renamed into place:
 * something else removed it (in a shared run, another worker cleaning up after one whose lease
 * lapsed). Retryable: the next attempt writes a new one.
 */
export class TempVanishedError extends Error {
  override readonly name = "TempVanishedError";
  readonly retryable = true;
  constructor(tmp: string, cause: unknown) {
    super(`${tmp} was removed before the save finished; saving again`, { cause });
  }
}
