import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AUDIO_FORMATS } from "@slng/types";
import { BulkUsageError } from "./errors.js";
import { InputList } from "./input-list.js";
import { KeyIndex } from "./key-index.js";
import { isSupportedAudio, manifestInputs } from "./manifest.js";

export { isSupportedAudio };

/** A key made safe as a relative path under the output folder: forward slashes, no `..`, no leading `/`. */
export function safeKey(key: string): string {
  const parts = key.split(/[\\/]+/).filter((p) => p !== "" && p !== "." && p !== "..");
  if (parts.length === 0) throw new BulkUsageError(`the input name ${JSON.stringify(key)} is empty once cleaned`);
  return parts.join("/");
}

/** The output stem of a key: the key without its extension (`a/b.wav` → `a/b`). */
export const outputStem = (key: string): string => key.replace(/\.[^./]+$/, "");

/** Options of {@link collectInputs}. */
export interface CollectOptions {
  /** Follow file and folder symlinks that lead outside the folder given (default: skip and report them). */
  followSymlinks?: boolean;
  /** Take manifest rows whose path has no audio extension (default: refuse them). */
  anyExtension?: boolean;
}

/** True when `real` is `root` or lies under it. */
export const isInside = (root: string, real: string): boolean => {
  const rel = relative(root, real);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

interface Walk {
  root: string;
  skip: string;
  follow: boolean;
  visited: Set<string>;
  found: { path: string; name: string }[];
  skipped: string[];
  outside: string[];
}

/** What a directory entry is, following a symlink only when it stays inside the walk's root (or `follow`). */
async function kindOf(w: Walk, full: string, e: Dirent): Promise<{ kind: "dir" | "file" | "none"; real: string }> {
  if (!e.isSymbolicLink())
    return {
      kind: e.isDirectory() ? "dir" : e.isFile() ? "file" : "none",
      real: e.isDirectory() ? await realpath(full) : full,
    };
  const real = await realpath(full).catch(() => undefined);
  if (!real) return { kind: "none", real: full };
  if (!w.follow && !isInside(w.root, real)) {
    w.outside.push(full);
    return { kind: "none", real };
  }
  const info = await stat(real).catch(() => undefined);
  return { kind: info?.isDirectory() ? "dir" : info?.isFile() ? "file" : "none", real };
}

async function walk(w: Walk, dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (full === w.skip) continue;
    const { kind, real } = await kindOf(w, full, e);
    if (kind === "dir" && !w.visited.has(real)) {
      w.visited.add(real);
      await walk(w, full);
    } else if (kind === "file") {
      if (isSupportedAudio(e.name)) w.found.push({ path: real, name: full });
      else w.skipped.push(full);
    }
  }
}

/** What {@link collectInputs} found. */
export interface CollectedInputs {
  /** The inputs, packed (a few MB for 100,000): iterate it, or read one with `at(i)` / `key(i)`. */
  inputs: InputList;
  /** Files in the folders given that are not supported audio, named as inputs are (relative to their folder). */
  skippedFiles: string[];
  /** Things the user should know before the run: symlinks not followed, manifest rows reading outside its folder. */
  warnings: string[];
}

const rel = (f: string) => relative(process.cwd(), f) || f;
const some = (list: string[]) => `${list.slice(0, 3).map(rel).join(", ")}${list.length > 3 ? ", …" : ""}`;

/**
 * Turns the command line's sources into inputs: a file is one input (named by its base name);
 * a folder is walked recursively for supported audio (named by the path inside the folder; with
 * several sources, under the folder's own name); a manifest adds its rows. `out` is never walked.
 * The walk follows a file or folder symlink only when it leads inside the folder (each real
 * folder walked once); others are skipped with a warning unless `followSymlinks`. Two inputs
 * that would write the same output are refused.
 */
export async function collectInputs(
  sources: readonly string[],
  manifest?: string,
  out?: string,
  options: CollectOptions = {},
): Promise<CollectedInputs> {
  const inputs = new InputList();
  const skippedFiles: string[] = [];
  const warnings: string[] = [];
  const outDir = out ? resolve(out) : "";
  const several = sources.length + (manifest ? 1 : 0) > 1;
  for (const source of sources) {
    const info = await stat(source).catch(() => undefined);
    if (!info) throw new BulkUsageError(`no such file or folder: ${source}`);
    if (info.isDirectory()) {
      const root = resolve(source);
      const real = await realpath(root);
      const w: Walk = {
        root: real,
        skip: outDir,
        follow: !!options.followSymlinks,
        visited: new Set([real]),
        found: [],
        skipped: [],
        outside: [],
      };
      await walk(w, root);
      const prefix = several ? `${basename(root)}/` : "";
      for (const f of w.found)
        inputs.push({ key: safeKey(prefix + relative(root, f.name).split(sep).join("/")), path: f.path });
      skippedFiles.push(...w.skipped.map((f) => prefix + relative(root, f).split(sep).join("/")));
      if (w.outside.length)
        warnings.push(
          `skipped ${w.outside.length} symlink${w.outside.length === 1 ? "" : "s"} leading outside ${rel(root)}: ${some(w.outside)} (pass --follow-symlinks to follow them)`,
        );
    } else {
      if (!isSupportedAudio(source))
        throw new BulkUsageError(
          `${source} is not a supported audio file (use .${AUDIO_FORMATS.join(", .")}), or pass a folder or --manifest`,
        );
      inputs.push({ key: safeKey(basename(source)), path: resolve(source) });
    }
  }
  if (manifest) {
    const rows = await manifestInputs(manifest, { ...options, warn: (m) => warnings.push(m) });
    for (const input of rows) inputs.push({ ...input, key: safeKey(input.key) });
  }
  checkClashes(inputs);
  return { inputs, skippedFiles, warnings };
}

function checkClashes(inputs: InputList): void {
  const first = new KeyIndex((i) => outputStem(inputs.key(i)), inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const other = first.firstOf(i);
    if (other !== i)
      throw new BulkUsageError(
        `${inputs.key(other)} and ${inputs.key(i)} would both be saved as ${outputStem(inputs.key(i))}.*; rename one, or give them separate runs`,
      );
  }
}
