import { isOutputFormat, type JsonV2Transcript, type OutputFormat } from "@slng/types";
import { type RequestOptions, type SlngCore, state } from "./core.js";
import { SlngError, SlngValidationError } from "./errors.js";
import { getJob, getJobFiles } from "./jobs.js";
import { apiError, describeRequest, send } from "./transport.js";

/** A transcript in `format`: `json` is the typed json-v2 transcript, `txt`/`srt` are text. */
export type Transcript<F extends OutputFormat> = F extends "json" ? JsonV2Transcript : string;

/** The error for a job with no output in `format`: not DONE yet, or none made. */
async function notAvailable(core: SlngCore, jobId: string, format: string, opts: RequestOptions) {
  const job = await getJob(core, jobId, opts);
  return new SlngError(
    job.status === "DONE"
      ? `Job ${jobId} has no ${format} output`
      : `Job ${jobId} is ${job.status}: its outputs can be downloaded once it is DONE`,
    { code: "output_not_available", jobId },
  );
}

/**
 * Downloads a DONE job's transcript in `format` (`json` parsed, `txt`/`srt` as text) from its
 * signed URL, fetched bare (no key); an expired link (403) is refreshed once.
 */
export async function downloadTranscript<F extends OutputFormat>(
  core: SlngCore,
  jobId: string,
  format: F,
  opts: RequestOptions = {},
): Promise<Transcript<F>> {
  const { t } = state(core);
  if (!isOutputFormat(format))
    throw new SlngValidationError(`format must be json, txt or srt, got ${JSON.stringify(format)}`, "format");
  for (let refreshed = false; ; refreshed = true) {
    const out = (await getJobFiles(core, jobId, opts)).outputs.find((o) => o.format === format);
    if (!out) throw await notAvailable(core, jobId, format, opts);
    const label = describeRequest("GET", out.download_url);
    const res = await send(t, label, (s) => t.fetch(new Request(out.download_url, { signal: s })), {
      signal: opts.signal,
      retries: t.maxRetries,
      timeoutMs: t.timeoutMs,
      jobId,
    });
    if (res.ok) {
      const text = await res.text();
      if (format !== "json") return text as Transcript<F>;
      try {
        return JSON.parse(text) as Transcript<F>;
      } catch {
        throw new SlngError(`The json output of job ${jobId} is not valid JSON`, { code: "http_error", jobId });
      }
    }
    if (res.status === 403 && !refreshed) {
      await res.body?.cancel();
      continue;
    }
    throw await apiError(t, res, label, undefined, jobId);
  }
}
