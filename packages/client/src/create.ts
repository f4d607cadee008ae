import type { JobAcknowledgement, Metadata, OutputConfig, Tracking, TranscriptionConfig } from "@slng/types";
import { multipart, partSize, type Source } from "./body.js";
import {
  type CoreState,
  JOBS,
  PRESIGN_THRESHOLD_BYTES,
  type RequestOptions,
  type SlngCore,
  state,
  tx,
} from "./core.js";
import { redactUrl, SlngValidationError } from "./errors.js";
import { exchange } from "./exchange.js";
import { createPresigned, type JobFields } from "./presign.js";
import { type Answer, promised, type SlngPromise } from "./respond.js";
import { type FileInput, resolveSource } from "./source.js";
import { submit } from "./submit.js";
import type { Transport } from "./transport.js";
import { STALLED, uploadOnce } from "./upload.js";
import { checkJobId, httpUrl, inClear } from "./validate.js";

/** Upload progress: bytes of the file really sent of `total` (the file's size), and the step. */
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

/** A create request with a JSON body: one exchange per attempt (the create logic retries). */
const postJson = (c: CoreState, t: Transport) => (body: object) => (signal: AbortSignal, _: unknown, n: number) =>
  exchange(
    t,
    "api",
    new Request(c.baseUrl + JOBS, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
    n,
    (r) => t.fetch(r, { signal }),
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
export function createJob(core: SlngCore, input: CreateJobInput): SlngPromise<JobAcknowledgement> {
  return promised(() => create(core, input));
}

async function create(core: SlngCore, input: CreateJobInput): Promise<Answer<JobAcknowledgement>> {
  const c = state(core);
  const t = tx(core, input);
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
    return submit(c, t, jobId, postJson(c, t)(body), true, signal);
  }
  const src = await resolveSource(c.platform, input.file, input.filename);
  try {
    return await upload(c, t, src, input, jobId, config, common, mode);
  } finally {
    await src.cleanup?.();
  }
}

/** Sends a resolved file: multipart, or through the presigned flow. */
async function upload(
  c: CoreState,
  t: Transport,
  src: Source,
  input: CreateJobInput,
  jobId: string,
  config: TranscriptionConfig,
  common: JobFields,
  mode: string,
): Promise<Answer<JobAcknowledgement>> {
  const { signal } = input;
  const progress = throttle(input.onUploadProgress);
  if (mode === "presign" || (mode === "auto" && src.size > (c.o.presignThresholdBytes ?? PRESIGN_THRESHOLD_BYTES)))
    return createPresigned(c, t, src, { jobId, config, common, progress, postJson: postJson(c, t), signal });
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
  const head = partSize(body.parts[0] as Uint8Array);
  const onTotal = (n: number) => {
    progress("upload", Math.min(src.size, Math.max(0, n - head)), src.size);
    if (n === body.size) progress("create", src.size, src.size);
  };
  const request = {
    method: "POST",
    url: c.baseUrl + JOBS,
    headers: { "Content-Type": body.type },
    parts: body.parts,
    size: body.size,
    onTotal,
  };
  return submit(
    c,
    t,
    jobId,
    (s, progress, n) => uploadOnce(c, t, "api", request, s, progress, n),
    src.replayable,
    signal,
    STALLED,
  );
}
