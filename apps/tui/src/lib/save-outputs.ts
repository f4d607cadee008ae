import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { JobsApi } from "./api.js";
import { describeError } from "./errors.js";

/** Downloads every available output of a DONE job into `dir` as `<jobId>.<format>`; returns a message. */
export async function saveOutputs(api: JobsApi, jobId: string, dir: string): Promise<string> {
  try {
    const files = await api.files(jobId);
    const saved: string[] = [];
    for (const output of files.outputs) {
      const name = `${jobId}.${output.format}`;
      const body =
        output.format === "json"
          ? `${JSON.stringify(await api.downloadJson(jobId), null, 2)}\n`
          : await api.download(jobId, output.format);
      await writeFile(join(dir, name), body);
      saved.push(name);
    }
    return saved.length > 0 ? `Saved ${saved.join(", ")} in ${dir}` : "No outputs to save.";
  } catch (error) {
    return `Could not save outputs: ${describeError(error)}`;
  }
}
