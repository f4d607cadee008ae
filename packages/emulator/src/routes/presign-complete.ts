import type { EmulatorContext, Owner } from "../context.js";
import { createJobFromFile, validateCreateOptions } from "../create.js";
import { ApiError } from "../errors.js";
import type { PendingUpload } from "../reservations.js";
import { quote, rejectUnknownFields, validateJobId } from "../validation.js";
import { acknowledge } from "./acknowledge.js";
import type { RouteDeps } from "./deps.js";

const COMPLETE_FIELDS = [
  "s3_key",
  "job_id",
  "model_code",
  "transcription_config",
  "metadata",
  "tracking",
  "output_config",
];

/** The caller's live, uploaded reservation for `body.s3_key`; 400 saying what is missing otherwise. */
function uploadedReservation(ctx: EmulatorContext, owner: Owner, body: Record<string, unknown>): PendingUpload {
  if (typeof body.s3_key !== "string" || !body.s3_key)
    throw new ApiError(400, "s3_key must be the upload.s3_key from the presign response");
  const pending = ctx.store.pending.get(body.s3_key, ctx.now());
  if (!pending && typeof body.job_id === "string" && ctx.store.jobs.has(body.job_id)) {
    // A completion sent again after its answer was lost: like any create with a used job_id.
    throw new ApiError(400, `job_id '${body.job_id}' is already in use: its job was created from this upload`);
  }
  if (!pending || pending.owner !== owner.id) {
    throw new ApiError(
      400,
      `Unknown s3_key ${quote(body.s3_key)}: request an upload URL first with {"mode": "presign", ...}`,
    );
  }
  if (body.job_id !== undefined && body.job_id !== pending.jobId) {
    validateJobId(body.job_id);
    throw new ApiError(400, `job_id must match the presign response's job_id '${pending.jobId}'`);
  }
  if (!pending.uploaded) {
    throw new ApiError(400, "Nothing was uploaded to this s3_key yet: PUT the file to upload.url first");
  }
  return pending;
}

/** Presign step 3 (`{"s3_key", …}`): creates the job from the uploaded object; `202`. */
export async function completePresign(
  { ctx }: RouteDeps,
  owner: Owner,
  body: Record<string, unknown>,
): Promise<Response> {
  rejectUnknownFields(body, COMPLETE_FIELDS, "a presign completion request");
  const pending = uploadedReservation(ctx, owner, body);
  const opts = validateCreateOptions(ctx, owner, { ...body, job_id: undefined });
  // Consumed from here on: a PUT to its URL, even one already under way, can no longer replace the input.
  ctx.store.pending.void(pending.jobId);
  try {
    const size = (await ctx.storage.size(pending.key)) ?? 0;
    const file = {
      path: ctx.storage.pathOf(pending.key),
      size,
      name: pending.filename,
      mime: pending.contentType,
      source: "presign" as const,
      key: pending.key,
    };
    return acknowledge(await createJobFromFile(ctx, owner, { ...opts, jobId: pending.jobId }, file));
  } catch (e) {
    if (!ctx.store.jobs.has(pending.jobId)) ctx.store.pending.restore(pending);
    throw e;
  }
}
