import { isOutputFormat, type JsonV2Transcript, type OutputFormat } from "@slng/types";
import { type RequestOptions, type SlngCore, tx } from "./core.js";
import { SlngError, SlngValidationError } from "./errors.js";
import { exchange } from "./exchange.js";
import { getJob, getJobFiles } from "./jobs.js";
import { type Answer, promised, type SlngPromise } from "./respond.js";
import { apiError, describeRequest, send, unexpected } from "./transport.js";

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
 * signed URL, fetched bare (no key, no custom headers: a storage exchange); an expired link
 * (403) is refreshed once.
 */
export function downloadTranscript<F extends OutputFormat>(
  core: SlngCore,
  jobId: string,
  format: F,
  opts: RequestOptions = {},
): SlngPromise<Transcript<F>> {
  return promised(() => download(core, jobId, format, opts));
}

async function download<F extends OutputFormat>(
  core: SlngCore,
  jobId: string,
  format: F,
  opts: RequestOptions,
): Promise<Answer<Transcript<F>>> {
  const t = tx(core, opts);
  if (!isOutputFormat(format))
    throw new SlngValidationError(`format must be json, txt or srt, got ${JSON.stringify(format)}`, "format");
  for (let refreshed = false; ; refreshed = true) {
    const out = (await getJobFiles(core, jobId, opts)).outputs.find((o) => o.format === format);
    if (!out) throw await notAvailable(core, jobId, format, opts);
    const label = describeRequest("GET", out.download_url);
    const res = await send(
      t,
      label,
      (signal, _, n) => exchange(t, "storage", new Request(out.download_url), n, (r) => t.fetch(r, { signal })),
      { signal: opts.signal, retries: t.maxRetries, timeoutMs: t.timeoutMs, jobId },
    );
    if (res.ok) {
      const text = await res.text();
      if (format !== "json") return { data: text as Transcript<F>, response: res };
      try {
        return { data: JSON.parse(text) as Transcript<F>, response: res };
      } catch {
        throw unexpected(t, res, `GET the json output of job ${jobId}`, "JSON", jobId);
      }
    }
    if (res.status === 403 && !refreshed) {
      await res.body?.cancel();
      continue;
    }
    throw await apiError(t, res, label, undefined, jobId);
  }
}
