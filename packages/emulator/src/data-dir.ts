import { lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file that marks a folder as one the emulator made (and may clean). */
export const DATA_DIR_MARKER = ".slng-emulator-data-dir";

const MARKER_TEXT = `This folder is a data dir of the SLNG Batch API emulator (@slng/emulator).
At start, the emulator removes what an earlier run left in inputs/, outputs/ and tmp/.
Without this file, the emulator refuses to use the folder unless it is empty.
`;

/** The emulator's own subfolders, and which names in each it may remove at start. */
const CLEANABLE: Record<string, RegExp> = {
  tmp: /^[0-9a-f]{24}$/,
  inputs: /^[A-Za-z0-9]{1,128}\.(?:wav|mp3|flac|aac|ogg|m4a|mp4|amr|mpeg)$/,
  outputs: /^[A-Za-z0-9]{1,128}$/,
};

/** A data dir the emulator will not use; the message says why and what to do. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataDirError";
  }
}

/** What {@link prepareDataDir} did. */
export interface PreparedDataDir {
  /** Paths relative to the data dir that were removed (leftovers of an earlier run). */
  removed: string[];
  /** Leftover-looking entries that are symbolic links: never followed, never removed. */
  skippedLinks: string[];
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function describeEntries(dir: string, names: string[]): string {
  const shown = names
    .sort()
    .slice(0, 6)
    .map((name) => {
      const st = lstatSync(join(dir, name));
      if (st.isSymbolicLink()) return `${name} -> ${readlinkSync(join(dir, name))}`;
      return st.isDirectory() ? `${name}/` : name;
    });
  const more = names.length > shown.length ? ` and ${names.length - shown.length} more` : "";
  return `${shown.join(", ")}${more}`;
}

function refuseForeign(dir: string, names: string[]): never {
  throw new DataDirError(
    `refusing to use ${dir} as the data dir: it is not empty and the emulator did not make it (it holds ${describeEntries(dir, names)}). ` +
      "The emulator removes leftover files in its data dir at start, so it only uses a new or empty folder, " +
      `or one it made before (marked by a ${DATA_DIR_MARKER} file). Choose a new or empty folder, or leave out the data dir to use a temp folder.`,
  );
}

function checkSubfolder(dir: string, sub: string): void {
  const st = lstatOrUndefined(join(dir, sub));
  if (st === undefined || (st.isDirectory() && !st.isSymbolicLink())) return;
  const what = st.isSymbolicLink() ? `a symbolic link (-> ${readlinkSync(join(dir, sub))})` : "not a folder";
  throw new DataDirError(
    `refusing to use ${dir} as the data dir: ${sub} in it is ${what}. The emulator never follows links in its data dir: remove ${join(dir, sub)} or choose another folder.`,
  );
}

function clean(dir: string, result: PreparedDataDir): void {
  for (const [sub, shape] of Object.entries(CLEANABLE)) {
    const folder = join(dir, sub);
    if (lstatOrUndefined(folder) === undefined) continue;
    for (const name of readdirSync(folder)) {
      if (!shape.test(name)) continue;
      const path = join(folder, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) {
        result.skippedLinks.push(`${sub}/${name}`);
        continue;
      }
      if (sub === "outputs" && !st.isDirectory()) continue;
      // rmSync does not follow symbolic links found inside a folder: it removes the links themselves.
      rmSync(path, { recursive: true, force: true });
      result.removed.push(st.isDirectory() ? `${sub}/${name}/` : `${sub}/${name}`);
    }
  }
}

/**
 * Makes `dir` ready as the emulator's data dir without ever deleting a user's file: a missing
 * or empty folder is created and marked with {@link DATA_DIR_MARKER}; a marked folder has its
 * leftovers (the emulator's own file shapes under `inputs/`, `outputs/`, `tmp/`) removed, with
 * no symbolic link followed; any other non-empty folder, or a marked one whose subfolders are
 * links, is refused with a {@link DataDirError} naming what is there.
 */
export function prepareDataDir(dir: string): PreparedDataDir {
  const result: PreparedDataDir = { removed: [], skippedLinks: [] };
  const top = lstatOrUndefined(dir);
  if (top === undefined) mkdirSync(dir, { recursive: true });
  else if (!statSync(dir).isDirectory()) {
    throw new DataDirError(`refusing to use ${dir} as the data dir: it is not a folder`);
  }
  const names = readdirSync(dir);
  const marker = lstatOrUndefined(join(dir, DATA_DIR_MARKER));
  if (names.length > 0 && !marker?.isFile()) refuseForeign(dir, names);
  for (const sub of Object.keys(CLEANABLE)) checkSubfolder(dir, sub);
  if (!marker) writeFileSync(join(dir, DATA_DIR_MARKER), MARKER_TEXT);
  clean(dir, result);
  return result;
}
