import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import type { AudioFormat, InputSource, OutputConfig, TranscriptionConfig } from "@slng/types";
import { AUDIO_FORMATS } from "@slng/types";
import { formatFromMime, formatFromName, inspectAudio, MIME_TYPES, sniffFormat } from "./audio.js";
import type { EmulatorContext, Owner } from "./context.js";
import { ApiError } from "./errors.js";
import { planSchedule } from "./lifecycle.js";
import type { PendingUpload } from "./reservations.js";
import type { JobRecord } from "./store.js";
import {
  parseJsonField,
  sanitizeFilename,
  validateJobId,
  validateMetadata,
  validateModelCode,
  validateOutputConfig,
  validateTracking,
  validateTranscriptionConfig,
} from "./validation.js";

/** The validated options shared by every create mode. */
export interface CreateOptions {
  jobId: string | undefined;
  modelCode: string;
  transcriptionConfig: TranscriptionConfig;
  tracking: Record<string, unknown> | undefined;
  outputConfig: OutputConfig | undefined;
  metadata: Record<string, unknown> | undefined;
  failMessage: string | undefined;
}

/** A new random job id (20 letters and digits). */
export function generateJobId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(20);
  let id = "";
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

/** Validates a job id a client chose and checks it is free; 400 with a clear message otherwise. */
export function checkJobIdFree(ctx: EmulatorContext, id: string, owner: Owner): string {
  validateJobId(id);
  if (ctx.store.isTaken(id, owner.id, ctx.now())) {
    throw new ApiError(
      400,
      `job_id '${id}' is already in use: choose another job_id, or omit it to get a generated one`,
    );
  }
  return id;
}

/** Validates the option fields of a JSON body (values already parsed). */
export function validateCreateOptions(
  ctx: EmulatorContext,
  owner: Owner,
  body: Record<string, unknown>,
): CreateOptions {
  const transcriptionConfig = validateTranscriptionConfig(body.transcription_config);
  const jobId = body.job_id === undefined ? undefined : checkJobIdFree(ctx, validateJobId(body.job_id), owner);
  const modelCode = validateModelCode(body.model_code);
  const tracking = body.tracking === undefined ? undefined : validateTracking(body.tracking);
  const outputConfig = body.output_config === undefined ? undefined : validateOutputConfig(body.output_config);
  const meta = body.metadata === undefined ? undefined : validateMetadata(body.metadata);
  return {
    jobId,
    modelCode,
    transcriptionConfig,
    tracking,
    outputConfig,
    metadata: meta?.metadata,
    failMessage: meta?.failMessage,
  };
}

/** Multipart text fields that carry JSON text. */
export const JSON_TEXT_FIELDS = ["transcription_config", "metadata", "tracking", "output_config"] as const;

/** Validates one multipart field as it arrives (so a bad field stops the upload early). */
export function validateMultipartField(ctx: EmulatorContext, owner: Owner, name: string, value: string): void {
  switch (name) {
    case "transcription_config":
      validateTranscriptionConfig(parseJsonField(name, value));
      return;
    case "metadata":
      validateMetadata(parseJsonField(name, value));
      return;
    case "tracking":
      validateTracking(parseJsonField(name, value));
      return;
    case "output_config":
      validateOutputConfig(parseJsonField(name, value));
      return;
    case "job_id":
      checkJobIdFree(ctx, value, owner);
      return;
    case "model_code":
      validateModelCode(value);
      return;
    default:
      throw new ApiError(
        400,
        `Unknown form field '${name.slice(0, 60)}'. Allowed fields: file, transcription_config, job_id, model_code, metadata, tracking, output_config`,
      );
  }
}

/** Turns multipart text fields into create options (after the body was fully received). */
export function multipartOptions(ctx: EmulatorContext, owner: Owner, fields: Record<string, string>): CreateOptions {
  if (fields.transcription_config === undefined) {
    throw new ApiError(
      400,
      'transcription_config is required: add the form field transcription_config with JSON text, e.g. {"language":"en"}',
    );
  }
  const body: Record<string, unknown> = {};
  for (const name of JSON_TEXT_FIELDS) {
    const text = fields[name];
    if (text !== undefined) body[name] = parseJsonField(name, text);
  }
  if (fields.job_id !== undefined) body.job_id = fields.job_id;
  if (fields.model_code !== undefined) body.model_code = fields.model_code;
  return validateCreateOptions(ctx, owner, body);
}

/** What the inspection of a received file found. */
export interface AcceptedInput {
  format: AudioFormat;
  mimeType: string;
  durationSeconds: number;
  channels: number;
  /** Set when the bytes claim a supported format but cannot be decoded: the job will FAIL with it. */
  decodeFailure: string | undefined;
}

/**
 * Inspects a received file: empty → 400; bytes of an unsupported kind → 400 naming the accepted
 * formats; bytes that are (or claim to be, by name or MIME type) an accepted format are accepted,
 * and if they cannot be decoded the job will end FAILED with a user-presentable message.
 */
export async function inspectInput(
  path: string,
  size: number,
  claimedName: string | undefined,
  claimedMime: string | undefined,
): Promise<AcceptedInput> {
  if (size === 0) throw new ApiError(400, "The audio file is empty (0 bytes)");
  const handle = await open(path, "r");
  const head = new Uint8Array(8192);
  let read = 0;
  try {
    read = (await handle.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await handle.close();
  }
  const sniffed = sniffFormat(head.subarray(0, read));
  const accepted = AUDIO_FORMATS.join(", ");
  if (sniffed.kind === "other") {
    throw new ApiError(
      400,
      `Unsupported file format: the file is ${sniffed.description}, not audio. Accepted formats: ${accepted}`,
    );
  }
  if (sniffed.kind === "unknown") {
    const claimed = formatFromName(claimedName) ?? formatFromMime(claimedMime);
    if (!claimed) {
      throw new ApiError(400, `Unsupported or unrecognised audio format. Accepted formats: ${accepted}`);
    }
    return {
      format: claimed,
      mimeType: MIME_TYPES[claimed],
      durationSeconds: 0,
      channels: 1,
      decodeFailure: `The audio file could not be decoded: its content is not valid ${claimed} audio.`,
    };
  }
  const result = await inspectAudio(path, size, sniffed.format);
  if (!result.ok) {
    return {
      format: result.format,
      mimeType: result.mimeType,
      durationSeconds: 0,
      channels: 1,
      decodeFailure: result.reason,
    };
  }
  return { ...result, decodeFailure: undefined };
}

/**
 * Creates the job from a received temp file: inspects it, moves it to `inputs/<jobId>.<format>`
 * and plans its lifecycle. Removes the temp file on failure.
 */
export async function createJobFromFile(
  ctx: EmulatorContext,
  owner: Owner,
  opts: CreateOptions,
  file: {
    path: string;
    size: number;
    name: string | undefined;
    mime: string | undefined;
    source: InputSource;
    key?: string;
  },
): Promise<JobRecord> {
  try {
    const input = await inspectInput(file.path, file.size, file.name, file.mime);
    const id = opts.jobId ?? generateJobId();
    if (ctx.store.jobs.has(id))
      throw new ApiError(400, `job_id '${id}' is already in use: choose another job_id, or omit it`);
    const key = file.key ?? `inputs/${id}.${input.format}`;
    // Voided before the input lands: a presigned PUT for this job id is refused from here on.
    const voided = ctx.store.pending.void(id);
    if (file.key === undefined) await ctx.storage.commit(file.path, key);
    const now = ctx.now();
    const failMessage = input.decodeFailure ?? opts.failMessage;
    const job: JobRecord = {
      id,
      seq: ctx.nextSeq(),
      owner: owner.id,
      organisationId: owner.organisationId,
      modelCode: opts.modelCode,
      transcriptionConfig: opts.transcriptionConfig,
      tracking: opts.tracking,
      outputConfig: opts.outputConfig,
      metadata: opts.metadata,
      input: {
        key,
        sizeBytes: file.size,
        durationSeconds: input.durationSeconds,
        format: input.format,
        mimeType: input.mimeType,
        source: file.source,
        dataName: sanitizeFilename(file.name),
        channels: input.channels,
      },
      schedule: planSchedule(now, input.durationSeconds, ctx.rtf, ctx.minStageMs, failMessage !== undefined),
      failMessage,
      deletedAt: undefined,
      filesPurged: false,
    };
    ctx.store.add(job);
    await discardReservations(ctx, [voided]);
    return job;
  } catch (e) {
    if (file.key === undefined) await rm(file.path, { force: true });
    throw e;
  }
}

/**
 * Removes the objects uploaded for reservations that ended without a job (expired, replaced,
 * or voided because a job with their job id was created another way) — never a job's input.
 */
export async function discardReservations(
  ctx: EmulatorContext,
  gone: readonly (PendingUpload | undefined)[],
): Promise<void> {
  for (const p of gone)
    if (p?.uploaded && ctx.store.jobs.get(p.jobId)?.input.key !== p.key) await ctx.storage.remove(p.key);
}
