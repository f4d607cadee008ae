import { lstat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { JobsApi } from "./api.js";
import { describeError } from "./errors.js";
import { replaceFile } from "./output-file.js";

/** Whether anything is at `path`: a file, a folder, or a symlink (dangling or not). */
const exists = async (path: string) => (await lstat(path).catch(() => undefined)) !== undefined;

/**
 * Downloads every available output of a DONE job into `dir` as `<jobId>.<format>`; returns a
 * message. Existing files are left alone unless `overwrite`: then nothing is downloaded and the
 * message names them (and a file that appears meanwhile is not overwritten either). An
 * overwrite replaces each file (a symlink too) by temp file and rename: it never writes through a link.
 */
export async function saveOutputs(api: JobsApi, jobId: string, dir: string, overwrite = false): Promise<string> {
  try {
    const files = await api.files(jobId);
    const names = files.outputs.map((o) => `${jobId}.${o.format}`);
    if (!overwrite) {
      const taken = [];
      for (const name of names) if (await exists(join(dir, name))) taken.push(name);
      if (taken.length > 0)
        return `Not saved: ${taken.join(", ")} already exist${taken.length === 1 ? "s" : ""} in ${dir} — press s again to overwrite`;
    }
    const saved: string[] = [];
    for (const output of files.outputs) {
      const name = `${jobId}.${output.format}`;
      const body =
        output.format === "json"
          ? `${JSON.stringify(await api.downloadJson(jobId), null, 2)}\n`
          : await api.download(jobId, output.format);
      if (overwrite) await replaceFile(join(dir, name), body);
      else await writeFile(join(dir, name), body, { flag: "wx" });
      saved.push(name);
    }
    return saved.length > 0 ? `Saved ${saved.join(", ")} in ${dir}` : "No outputs to save.";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return "Not saved: a file appeared meanwhile — press s again to overwrite";
    return `Could not save outputs: ${describeError(error)}`;
  }
}

/**
 * The `s` key of the watch view and the dashboard: saves a job's outputs into `dir`, refusing
 * to overwrite; right after such a refusal, `s` again for the same job overwrites.
 */
export function outputSaver(api: JobsApi, dir: string): (jobId: string) => Promise<string> {
  let armed: string | undefined;
  return async (jobId) => {
    const overwrite = armed === jobId;
    const message = await saveOutputs(api, jobId, dir, overwrite);
    armed = message.startsWith("Not saved:") ? jobId : undefined;
    return message;
  };
}
