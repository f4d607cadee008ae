import type { Owner } from "../context.js";
import { createJobFromFile, validateCreateOptions } from "../create.js";
import { fetchToFile, validateInputUrl } from "../url-input.js";
import { rejectUnknownFields } from "../validation.js";
import { acknowledge } from "./acknowledge.js";
import type { RouteDeps } from "./deps.js";

const URL_FIELDS = [
  "input_url",
  "transcription_config",
  "job_id",
  "model_code",
  "metadata",
  "tracking",
  "output_config",
];

/** URL input (`application/json` with `input_url`): fetches the audio to disk, then creates the job. */
export async function createFromUrl(
  { ctx }: RouteDeps,
  owner: Owner,
  body: Record<string, unknown>,
): Promise<Response> {
  rejectUnknownFields(body, URL_FIELDS, "a URL-input request");
  const url = validateInputUrl(body.input_url);
  const opts = validateCreateOptions(ctx, owner, body);
  const path = ctx.storage.tempPath();
  const fetched = await fetchToFile(url, path, ctx.storage, ctx.signal, ctx.maxInputBytes);
  const job = await createJobFromFile(ctx, owner, opts, {
    path,
    size: fetched.size,
    name: fetched.filename,
    mime: fetched.contentType,
    source: "url",
  });
  return acknowledge(job);
}
