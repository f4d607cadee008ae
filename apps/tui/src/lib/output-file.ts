import { randomBytes } from "node:crypto";
import { lstat, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "./config.js";

/** The sentence for a local file problem: what is wrong with `path` and what to change (exit 2). */
export function outputFileProblem(path: string, error: NodeJS.ErrnoException): ConfigError | undefined {
  const dir = dirname(resolve(path));
  switch (error.code) {
    case "EISDIR":
      return new ConfigError(
        `-o ${path} is a directory: give a file name, e.g. -o ${path.replace(/\/+$/, "")}/transcript.txt`,
      );
    case "ENOENT":
    case "ENOTDIR":
      return new ConfigError(`-o ${path}: the folder ${dir} does not exist; create it first or choose another path.`);
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return new ConfigError(`-o ${path}: no permission to write there; choose a path you can write to.`);
    case "EEXIST":
      return new ConfigError(`${path} already exists: pass --force to overwrite it, or choose another file with -o`);
    case "ENOSPC":
      return new ConfigError(`-o ${path}: no space left on the device; free some space or choose another disk.`);
    default:
      return undefined;
  }
}

/**
 * Fails early, before anything is downloaded, when `path` cannot be a file to write, or holds a
 * file already and `force` is not set. A symlink there counts as a file (it is what `--force`
 * replaces), wherever it points.
 */
export async function checkOutputPath(path: string, opts: { force?: boolean } = {}): Promise<void> {
  const target = await lstat(path).catch(() => undefined);
  if (target?.isDirectory()) throw outputFileProblem(path, Object.assign(new Error(), { code: "EISDIR" }));
  if (target && !opts.force) throw outputFileProblem(path, Object.assign(new Error(), { code: "EEXIST" }));
  const parent = await stat(dirname(resolve(path))).catch(() => undefined);
  if (!parent?.isDirectory()) throw outputFileProblem(path, Object.assign(new Error(), { code: "ENOENT" }));
}

/**
 * Writes `body` to `path` as a new file replacing whatever is there: a temp file in the same
 * folder (created exclusively), renamed over `path`. A symlink at `path` is replaced, never
 * followed, and a reader never sees a half-written file. The temp file is removed on failure.
 */
export async function replaceFile(path: string, body: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, body, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes `body` to `path`, never over an existing file (or symlink) unless `force`, and then
 * by {@link replaceFile}; a local problem (a directory, a missing folder, a file already
 * there…) is a {@link ConfigError}.
 */
export async function writeOutputFile(path: string, body: string, opts: { force?: boolean } = {}): Promise<void> {
  try {
    if (opts.force) await replaceFile(path, body);
    else await writeFile(path, body, { flag: "wx" });
  } catch (error) {
    throw outputFileProblem(path, error as NodeJS.ErrnoException) ?? error;
  }
}
