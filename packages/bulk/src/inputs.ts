import { readdir, stat } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { AUDIO_FORMATS } from "@slng/types";
import { BulkUsageError } from "./errors.js";
import { readManifest } from "./manifest.js";
import type { BulkInput } from "./types.js";

/** True when `name` ends in one of the API's accepted audio extensions. */
export const isSupportedAudio = (name: string): boolean =>
  (AUDIO_FORMATS as readonly string[]).includes(/\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? "");

/** A key made safe as a relative path under the output folder: forward slashes, no `..`, no leading `/`. */
export function safeKey(key: string): string {
  const parts = key.split(/[\\/]+/).filter((p) => p !== "" && p !== "." && p !== "..");
  if (parts.length === 0) throw new BulkUsageError(`the input name ${JSON.stringify(key)} is empty once cleaned`);
  return parts.join("/");
}

/** The output stem of a key: the key without its extension (`a/b.wav` → `a/b`). */
export const outputStem = (key: string): string => key.replace(/\.[^./]+$/, "");

async function walk(dir: string, skip: string, found: string[], skipped: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (full === skip) continue;
    if (e.isDirectory()) await walk(full, skip, found, skipped);
    else if (e.isFile() || e.isSymbolicLink()) (isSupportedAudio(e.name) ? found : skipped).push(full);
  }
}

/** What {@link collectInputs} found. */
export interface CollectedInputs {
  inputs: BulkInput[];
  /** Files in the folders given that are not supported audio (relative to the working directory). */
  skippedFiles: string[];
}

/**
 * Turns the command line's sources into inputs: a file is one input (named by its base name);
 * a folder is walked recursively for supported audio (named by the path inside the folder; with
 * several sources, under the folder's own name); a manifest adds its rows. `out` is never walked.
 * Two inputs that would write the same output are refused.
 */
export async function collectInputs(
  sources: readonly string[],
  manifest?: string,
  out?: string,
): Promise<CollectedInputs> {
  const inputs: BulkInput[] = [];
  const skippedFiles: string[] = [];
  const outDir = out ? resolve(out) : "";
  const several = sources.length + (manifest ? 1 : 0) > 1;
  for (const source of sources) {
    const info = await stat(source).catch(() => undefined);
    if (!info) throw new BulkUsageError(`no such file or folder: ${source}`);
    if (info.isDirectory()) {
      const root = resolve(source);
      const found: string[] = [];
      const skipped: string[] = [];
      await walk(root, outDir, found, skipped);
      const prefix = several ? `${basename(root)}/` : "";
      for (const f of found) inputs.push({ key: safeKey(prefix + relative(root, f).split(sep).join("/")), path: f });
      skippedFiles.push(...skipped.map((f) => relative(process.cwd(), f) || f));
    } else {
      if (!isSupportedAudio(source))
        throw new BulkUsageError(
          `${source} is not a supported audio file (use .${AUDIO_FORMATS.join(", .")}), or pass a folder or --manifest`,
        );
      inputs.push({ key: safeKey(basename(source)), path: resolve(source) });
    }
  }
  if (manifest) for (const input of await readManifest(manifest)) inputs.push({ ...input, key: safeKey(input.key) });
  checkClashes(inputs);
  return { inputs, skippedFiles };
}

function checkClashes(inputs: readonly BulkInput[]): void {
  const seen = new Map<string, string>();
  for (const input of inputs) {
    const stem = outputStem(input.key);
    const other = seen.get(stem);
    if (other !== undefined)
      throw new BulkUsageError(
        `${other} and ${input.key} would both be saved as ${stem}.*; rename one, or give them separate runs`,
      );
    seen.set(stem, input.key);
  }
}
