import type { JobAcknowledgement, Metadata, OutputConfig, Tracking, TranscriptionConfig } from "@slng/types";
import { multipart } from "./body.js";
import { type CoreState, JOBS, PRESIGN_THRESHOLD_BYTES, type RequestOptions, type SlngCore, state } from "./core.js";
import { redactUrl, SlngValidationError } from "./errors.js";
import { createPresigned, type JobFields } from "./presign.js";
import { type FileInput, resolveSource } from "./source.js";
import { submit } from "./submit.js";
import { STALLED, uploadOnce } from "./upload.js";
import { checkJobId, httpUrl, inClear } from "./validate.js";

/** Upload progress: bytes really sent of `total`, and the step. */
export interface UploadProgress {
  loaded: number;
  total: number;
  phase: "presign" | "upload" | "create";
}

/** Input of `createJob`: a `file` (path in Node, Blob/File, bytes, or stream) or an https `url`. */
export interface CreateJobInput extends RequestOptions {
  file?: FileInput;
  url?: string;
  /** Name (with extension) of the upload; defaults to the path's or File's name. */
  filename?: string;
  config?: TranscriptionConfig;
  /** Letters and digits; chosen by the client when absent, so a retried create never makes two jobs. */
  jobId?: string;
  modelCode?: string;
  metadata?: Metadata;
  tracking?: Tracking;
  outputConfig?: OutputConfig;
  /** `auto` (default): multipart up to the threshold, presigned above it. */
  upload?: "auto" | "multipart" | "presign";
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** `n` random lowercase letters and digits (24 of them carry about 124 bits). */
const randomId = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => (b % 36).toString(36)).join("");
const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));

/** A create request with a JSON body, sent bare through the core's fetch (the create logic retries). */
const postJson = (c: CoreState) => (body: object) => (signal: AbortSignal) =>
  c.t.fetch(
    new Request(c.baseUrl + JOBS, {
      method: "POST",
      headers: c.auth({ "Content-Type": "application/json" }),
      body: JSON.stringify(body),
      signal,
    }),
  );

/** Throws unless `url` is https (or http to a local host). */
function checkInputUrl(input: string): void {
  const url = httpUrl(input);
  if (!url || inClear(url))
    throw new SlngValidationError(`url must be an https:// URL, got ${JSON.stringify(redactUrl(input))}`, "url");
}

/** Reports progress at most every 256 KiB, and always at a new phase and at the end. */
function throttle(report: CreateJobInput["onUploadProgress"]) {
  let last = -1;
  let lastPhase = "";
  return (phase: UploadProgress["phase"], loaded: number, total: number) => {
    if (phase !== lastPhase || loaded === total || loaded - last >= 262_144 || loaded < last) {
      last = loaded;
      lastPhase = phase;
      report?.({ loaded, total, phase });
    }
  };
}

/**
 * Creates a job from a file (multipart up to `presignThresholdBytes`, presigned above it) or
 * from an https `url`. Exactly once: the job id is fixed before the first attempt, so a retried
 * create never makes two jobs. Bad input throws `SlngValidationError` before any request.
 */
export async function createJob(core: SlngCore, input: CreateJobInput): Promise<JobAcknowledgement> {
  const c = state(core);
  const { signal } = input;
  const jobId = input.jobId === undefined ? randomId(24) : checkJobId(input.jobId);
  if (!input.file === !input.url) throw new SlngValidationError("pass exactly one of file or url", "file");
  const mode = input.upload ?? "auto";
  if (!["auto", "multipart", "presign"].includes(mode))
    throw new SlngValidationError(`upload must be auto, multipart or presign, got ${JSON.stringify(mode)}`, "upload");
  const config = input.config ?? {};
  const common: JobFields = {
    model_code: input.modelCode,
    metadata: input.metadata,
    tracking: input.tracking,
    output_config: input.outputConfig,
  };
  if (input.url !== undefined) {
    checkInputUrl(input.url);
    const body = { input_url: input.url, transcription_config: config, job_id: jobId, ...common };
    return submit(c, jobId, postJson(c)(body), true, signal);
  }
  const src = await resolveSource(c.platform, input.file, input.filename);
  const progress = throttle(input.onUploadProgress);
  if (mode === "presign" || (mode === "auto" && src.size > (c.o.presignThresholdBytes ?? PRESIGN_THRESHOLD_BYTES)))
    return createPresigned(c, src, { jobId, config, common, progress, postJson: postJson(c), signal });
  const body = multipart(
    {
      transcription_config: JSON.stringify(config),
      job_id: jobId,
      model_code: common.model_code,
      metadata: json(common.metadata),
      tracking: json(common.tracking),
      output_config: json(common.output_config),
    },
    src,
    `slng${randomId(24)}`,
  );
  const headers = c.auth({ "Content-Type": body.type });
  const onTotal = (n: number) => {
    progress("upload", n, body.size);
    if (n === body.size) progress("create", n, body.size);
  };
  const request = {
    method: "POST",
    url: c.baseUrl + JOBS,
    headers,
    parts: body.parts,
    size: body.size,
    onTotal,
  };
  return submit(c, jobId, (s, progress) => uploadOnce(c, request, s, progress), src.replayable, signal, STALLED);
}
