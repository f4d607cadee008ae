import { stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
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
 * file already and `force` is not set.
 */
export async function checkOutputPath(path: string, opts: { force?: boolean } = {}): Promise<void> {
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw outputFileProblem(path, Object.assign(new Error(), { code: "EISDIR" }));
  if (target && !opts.force) throw outputFileProblem(path, Object.assign(new Error(), { code: "EEXIST" }));
  const parent = await stat(dirname(resolve(path))).catch(() => undefined);
  if (!parent?.isDirectory()) throw outputFileProblem(path, Object.assign(new Error(), { code: "ENOENT" }));
}

/**
 * Writes `body` to `path`, never over an existing file unless `force`; a local problem (a
 * directory, a missing folder, a file already there…) is a {@link ConfigError}.
 */
export async function writeOutputFile(path: string, body: string, opts: { force?: boolean } = {}): Promise<void> {
  try {
    await writeFile(path, body, { flag: opts.force ? "w" : "wx" });
  } catch (error) {
    throw outputFileProblem(path, error as NodeJS.ErrnoException) ?? error;
  }
}
