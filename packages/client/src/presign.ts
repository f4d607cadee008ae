import type {
  JobAcknowledgement,
  Metadata,
  OutputConfig,
  PresignResponse,
  Tracking,
  TranscriptionConfig,
} from "@slng/types";
import type { Source } from "./body.js";
import { isPresignOf } from "./checks.js";
import { type CoreState, call, JOBS } from "./core.js";
import type { Answer } from "./respond.js";
import { submit } from "./submit.js";
import { apiError, describeRequest, send, type Transport } from "./transport.js";
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
  postJson: (body: object) => (signal: AbortSignal, progress: () => void, n: number) => Promise<Response>;
  signal: AbortSignal | undefined;
}

/** Asks for a signed upload URL (`POST /jobs` with `mode: "presign"`, retried: it creates nothing). */
async function presign(t: Transport, c: CoreState, src: Source, j: PresignJob) {
  j.progress("presign", 0, src.size);
  return {
    at: Date.now(),
    p: (
      await call<PresignResponse>(
        c,
        t,
        {
          method: "POST",
          path: JOBS,
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
          anyMethod: true,
        },
        `POST ${JOBS} (presign)`,
        isPresignOf(j.jobId),
        "a presign answer",
        j.jobId,
      )
    ).data,
  };
}

/**
 * The presigned flow: presign, PUT the file to the signed URL (presigning again if it is about
 * to expire, or once if storage refuses it with 403), then create the job from the stored key.
 */
export async function createPresigned(
  c: CoreState,
  t: Transport,
  src: Source,
  j: PresignJob,
): Promise<Answer<JobAcknowledgement>> {
  let { p, at } = await presign(t, c, src, j);
  for (let renewed = false; ; ) {
    if (Date.now() - at > (p.upload.expires_in - 30) * 1000) ({ p, at } = await presign(t, c, src, j));
    const { url, headers } = p.upload;
    const res = await send(
      t,
      describeRequest("PUT", url),
      (s, progress, n) =>
        uploadOnce(
          c,
          t,
          "storage",
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
          n,
        ),
      {
        signal: j.signal,
        retries: src.replayable ? t.maxRetries : 0,
        timeoutMs: t.timeoutMs,
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
      ({ p, at } = await presign(t, c, src, j));
      continue;
    }
    throw await apiError(t, res, describeRequest("PUT", url), undefined, j.jobId);
  }
  j.progress("create", src.size, src.size);
  return submit(
    c,
    t,
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
