import type { AudioFormat, OutputConfig, PresignResponse, TranscriptionConfig } from "@slng/types";
import { PRESIGN_UPLOAD_EXPIRES_IN } from "@slng/types";
import type { Context } from "hono";
import { formatFromMime, formatFromName } from "../audio.js";
import type { AppEnv, EmulatorContext, Owner } from "../context.js";
import { checkJobIdFree, discardReservations, generateJobId } from "../create.js";
import { ApiError, jsonResponse } from "../errors.js";
import { s3Uri } from "../storage.js";
import {
  quote,
  rejectUnknownFields,
  validateJobId,
  validateOutputConfig,
  validateTracking,
  validateTranscriptionConfig,
} from "../validation.js";
import { originOf, type RouteDeps } from "./deps.js";

const PRESIGN_FIELDS = [
  "mode",
  "filename",
  "content_type",
  "job_id",
  "transcription_config",
  "tracking",
  "output_config",
];

interface PresignRequest {
  filename: string;
  contentType: string;
  format: AudioFormat;
  jobId: string;
  transcriptionConfig: TranscriptionConfig;
  tracking: Record<string, unknown> | undefined;
  outputConfig: OutputConfig | undefined;
}

function validatePresign(ctx: EmulatorContext, owner: Owner, body: Record<string, unknown>): PresignRequest {
  if (body.mode !== "presign") throw new ApiError(400, `Invalid mode ${quote(body.mode)}: the only mode is "presign"`);
  rejectUnknownFields(body, PRESIGN_FIELDS, "a presign request");
  const filename = body.filename;
  if (typeof filename !== "string" || !filename.trim()) {
    throw new ApiError(400, "filename is required: the name of the file you will upload, e.g. meeting.wav");
  }
  const contentType = body.content_type === undefined ? "application/octet-stream" : body.content_type;
  if (
    typeof contentType !== "string" ||
    !/^[\w.+-]+\/[\w.+-]+(\s*;[\x20-\x7e]*)?$/.test(contentType) ||
    contentType.length > 200
  ) {
    throw new ApiError(400, "content_type must be a MIME type such as audio/wav");
  }
  const format = formatFromName(filename) ?? formatFromMime(contentType);
  if (!format) {
    throw new ApiError(
      400,
      `Unsupported file type ${quote(filename)}: the filename must end in .wav, .mp3, .flac, .aac, .ogg, .m4a, .mp4, .amr or .mpeg`,
    );
  }
  return {
    filename,
    contentType,
    format,
    transcriptionConfig: validateTranscriptionConfig(body.transcription_config),
    tracking: body.tracking === undefined ? undefined : validateTracking(body.tracking),
    outputConfig: body.output_config === undefined ? undefined : validateOutputConfig(body.output_config),
    jobId: body.job_id === undefined ? generateJobId() : checkJobIdFree(ctx, validateJobId(body.job_id), owner),
  };
}

/** Presign step 1 (`{"mode": "presign", …}`): reserves the job id and answers `200` with a signed PUT URL. */
export async function presign(
  { ctx }: RouteDeps,
  c: Context<AppEnv>,
  owner: Owner,
  body: Record<string, unknown>,
): Promise<Response> {
  const req = validatePresign(ctx, owner, body);
  const key = `inputs/${req.jobId}.${req.format}`;
  const now = ctx.now();
  const replaced = ctx.store.pending.add({
    owner: owner.id,
    jobId: req.jobId,
    key,
    contentType: req.contentType,
    filename: req.filename,
    issuedAt: now,
    uploaded: false,
  });
  await discardReservations(ctx, [replaced, ...ctx.store.pending.sweep(now)]);
  const signed = { method: "PUT" as const, key, issuedAt: now, expiresIn: PRESIGN_UPLOAD_EXPIRES_IN };
  const response: PresignResponse = {
    job_id: req.jobId,
    transcription_config: req.transcriptionConfig,
    ...(req.tracking ? { tracking: req.tracking } : {}),
    ...(req.outputConfig ? { output_config: req.outputConfig } : {}),
    input_s3_uri: s3Uri(key),
    output_s3_prefix: s3Uri(`outputs/${req.jobId}/`),
    upload: {
      url: ctx.signer.sign(originOf(c), { ...signed, contentType: req.contentType }),
      s3_key: key,
      s3_uri: s3Uri(key),
      expires_in: PRESIGN_UPLOAD_EXPIRES_IN,
      headers: { "Content-Type": req.contentType },
    },
  };
  return jsonResponse(200, response);
}
