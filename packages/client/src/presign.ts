import type {
  JobAcknowledgement,
  Metadata,
  OutputConfig,
  PresignResponse,
  Tracking,
  TranscriptionConfig,
} from "@slng/types";
import type { Source } from "./body.js";
import { type CoreState, call, JOBS } from "./core.js";
import { submit } from "./submit.js";
import { apiError, describeRequest, retryingFetch, send } from "./transport.js";
import { STALLED, uploadOnce } from "./upload.js";

/** The optional job fields of a create, as the API names them. */
export interface JobFields {
  model_code: string | undefined;
  metadata: Metadata | undefined;
  tracking: Tracking | undefined;
  output_config: OutputConfig | undefined;
}

/** What the presigned flow sends besides the file. */
export interface PresignJob {
  jobId: string;
  config: TranscriptionConfig;
  common: JobFields;
  /** Reports `presign`, `upload` and `create` progress. */
  progress: (phase: "presign" | "upload" | "create", loaded: number, total: number) => void;
  /** Builds the JSON create request sent once the file is stored. */
  postJson: (body: object) => (signal: AbortSignal) => Promise<Response>;
  signal: AbortSignal | undefined;
}

/** Asks for a signed upload URL (`POST /jobs` with `mode: "presign"`, retried: it creates nothing). */
async function presign(c: CoreState, src: Source, j: PresignJob) {
  j.progress("presign", 0, src.size);
  return {
    at: Date.now(),
    p: await call<PresignResponse>(
      c,
      c.api.POST("/v1/batch/jobs", {
        body: {
          mode: "presign",
          filename: src.name,
          content_type: src.type,
          job_id: j.jobId,
          transcription_config: j.config,
          tracking: j.common.tracking, // undefined fields are left out of the JSON
          output_config: j.common.output_config,
        },
        signal: j.signal,
        fetch: retryingFetch(c.t, c.t.maxRetries, true),
      }),
      `POST ${JOBS} (presign)`,
      j.jobId,
    ),
  };
}

/**
 * The presigned flow: presign, PUT the file to the signed URL (presigning again if it is about
 * to expire, or once if storage refuses it with 403), then create the job from the stored key.
 */
export async function createPresigned(c: CoreState, src: Source, j: PresignJob): Promise<JobAcknowledgement> {
  let { p, at } = await presign(c, src, j);
  for (let renewed = false; ; ) {
    if (Date.now() - at > (p.upload.expires_in - 30) * 1000) ({ p, at } = await presign(c, src, j));
    const { url, headers } = p.upload;
    const res = await send(
      c.t,
      describeRequest("PUT", url),
      (s, progress) =>
        uploadOnce(
          c,
          {
            method: "PUT",
            url,
            headers: { ...headers },
            parts: [src.part],
            size: src.size,
            onTotal: (n) => j.progress("upload", n, src.size),
          },
          s,
          progress,
        ),
      {
        signal: j.signal,
        retries: src.replayable ? c.t.maxRetries : 0,
        timeoutMs: c.t.timeoutMs,
        timeoutWords: STALLED,
        jobId: j.jobId,
      },
    );
    if (res.ok) {
      await res.body?.cancel();
      break;
    }
    if (res.status === 403 && !renewed && src.replayable) {
      await res.body?.cancel();
      renewed = true;
      ({ p, at } = await presign(c, src, j));
      continue;
    }
    throw await apiError(c.t, res, describeRequest("PUT", url), undefined, j.jobId);
  }
  j.progress("create", src.size, src.size);
  return submit(
    c,
    j.jobId,
    j.postJson({
      s3_key: p.upload.s3_key,
      job_id: p.job_id,
      transcription_config: p.transcription_config,
      model_code: j.common.model_code,
      metadata: j.common.metadata,
      tracking: p.tracking,
      output_config: p.output_config,
    }),
    true,
    j.signal,
  );
}
