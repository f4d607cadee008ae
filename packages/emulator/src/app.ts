import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { JobFilesResponse, OutputFormat, PresignResponse } from "@slng/types";
import { DOWNLOAD_URL_EXPIRES_IN, OUTPUT_FORMATS, PRESIGN_UPLOAD_EXPIRES_IN } from "@slng/types";
import type { Context } from "hono";
import { Hono } from "hono";
import { formatFromMime, formatFromName } from "./audio.js";
import type { AppEnv, EmulatorContext, Owner } from "./context.js";
import { corsMiddleware } from "./cors.js";
import {
  checkJobIdFree,
  createJobFromFile,
  discardReservations,
  generateJobId,
  multipartOptions,
  validateCreateOptions,
  validateMultipartField,
} from "./create.js";
import { ApiError, errorResponse, jsonResponse, TOO_LARGE_MESSAGE } from "./errors.js";
import { FAULT_HEADER, type Fault, FaultInjector } from "./faults.js";
import { checkBodyDepth } from "./json-limits.js";
import { receiveMultipart } from "./multipart.js";
import { redactSignatures } from "./signing.js";
import { isValidKey, s3Uri } from "./storage.js";
import { expiresAt, type JobRecord, jobStatus, toBatchJob } from "./store.js";
import { buildTranscript, transcriptSrt, transcriptText } from "./transcript.js";
import { fetchToFile, validateInputUrl } from "./url-input.js";
import {
  parseListQuery,
  quote,
  rejectUnknownFields,
  validateJobId,
  validateOutputConfig,
  validateTracking,
  validateTranscriptionConfig,
} from "./validation.js";

/** Response header that marks an injected fault. */
export const FAULT_INJECTED_HEADER = "x-slng-emulator-fault-injected";
/** Internal marker: the in-process fetch turns a response carrying it into a network error. */
export const DROP_MARKER_HEADER = "x-slng-emulator-dropped";

const JSON_BODY_LIMIT = 1024 * 1024;
/** A presigned PUT whose reservation was consumed, voided or expired: the job's input is immutable. */
const NO_LONGER_VALID =
  "This upload URL is no longer valid: a job was created with its job_id (a job's input cannot be replaced), or the URL expired — request a new upload URL";
const MULTIPART_OVERHEAD = 1024 * 1024;

const URL_FIELDS = [
  "input_url",
  "transcription_config",
  "job_id",
  "model_code",
  "metadata",
  "tracking",
  "output_config",
];
const PRESIGN_FIELDS = [
  "mode",
  "filename",
  "content_type",
  "job_id",
  "transcription_config",
  "tracking",
  "output_config",
];
const COMPLETE_FIELDS = [
  "s3_key",
  "job_id",
  "model_code",
  "transcription_config",
  "metadata",
  "tracking",
  "output_config",
];

const OUTPUT_CONTENT_TYPES: Record<OutputFormat, string> = {
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  srt: "application/x-subrip; charset=utf-8",
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function contentLength(c: Context<AppEnv>): number | undefined {
  const raw = c.req.header("content-length");
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

async function readJsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const declared = contentLength(c);
  if (declared !== undefined && declared > JSON_BODY_LIMIT) {
    throw new ApiError(413, "Request body too large: JSON bodies are limited to 1 MB", { connection: "close" });
  }
  const body = c.req.raw.body;
  if (!body) throw new ApiError(400, "Malformed JSON body: the request has no body");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    let part: ReadableStreamReadResult<Uint8Array>;
    try {
      part = await reader.read();
    } catch {
      throw new ApiError(400, "The request body was interrupted");
    }
    if (part.done) break;
    total += part.value.length;
    if (total > JSON_BODY_LIMIT) {
      await reader.cancel();
      throw new ApiError(413, "Request body too large: JSON bodies are limited to 1 MB", { connection: "close" });
    }
    chunks.push(part.value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `Malformed JSON body: ${e instanceof SyntaxError ? e.message : "it could not be parsed"}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError(400, "The JSON body must be an object");
  }
  checkBodyDepth(value);
  return value as Record<string, unknown>;
}

/** Builds the emulator's Hono app: the Batch API under `/v1/batch`, and signed storage under `/storage`. */
export function buildApp(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const purgeIfExpired = async (job: JobRecord, now: number) => {
    const expiry = expiresAt(job, ctx.retentionSeconds);
    if (!job.filesPurged && expiry !== undefined && now >= expiry) await purgeFiles(job);
  };
  const purgeFiles = async (job: JobRecord) => {
    job.filesPurged = true;
    outputsReady.delete(job.id);
    await ctx.storage.remove(job.input.key);
    await rm(join(ctx.storage.dir, "outputs", job.id), { recursive: true, force: true });
  };
  const outputsReady = new Map<string, Promise<void>>();
  const ensureOutputs = (job: JobRecord): Promise<void> => {
    let p = outputsReady.get(job.id);
    if (!p) {
      p = (async () => {
        const transcript = buildTranscript({
          jobId: job.id,
          createdAt: new Date(job.schedule.submittedAt).toISOString(),
          completedAt: new Date(job.schedule.completedAt).toISOString(),
          dataName: job.input.dataName,
          durationSeconds: job.input.durationSeconds,
          channels: job.input.channels,
          transcriptionConfig: job.transcriptionConfig,
        });
        await mkdir(join(ctx.storage.dir, "outputs", job.id), { recursive: true });
        await Promise.all([
          writeFile(ctx.storage.pathOf(`outputs/${job.id}/transcript.json`), JSON.stringify(transcript, null, 2)),
          writeFile(ctx.storage.pathOf(`outputs/${job.id}/transcript.txt`), transcriptText(transcript)),
          writeFile(
            ctx.storage.pathOf(`outputs/${job.id}/transcript.srt`),
            transcriptSrt(transcript, job.outputConfig),
          ),
        ]);
      })();
      p.catch(() => outputsReady.delete(job.id));
      outputsReady.set(job.id, p);
    }
    return p;
  };

  app.use("*", async (c, next) => {
    const started = Date.now();
    await next();
    if (ctx.log) {
      const url = new URL(c.req.url);
      const injected = c.res.headers.get(FAULT_INJECTED_HEADER);
      const outcome = c.res.headers.get(DROP_MARKER_HEADER) ? "connection dropped" : String(c.res.status);
      const note = injected ? ` (injected fault: ${injected})` : "";
      ctx.log(
        redactSignatures(`${c.req.method} ${url.pathname}${url.search} -> ${outcome}${note} ${Date.now() - started}ms`),
      );
    }
  });

  app.use("*", corsMiddleware(ctx.corsOrigins));

  app.use("*", async (c, next) => {
    if (ctx.isClosed()) return errorResponse(503, "The emulator has been shut down");
    const header = FaultInjector.parseHeader(c.req.header(FAULT_HEADER) ?? null);
    if (typeof header === "string") return errorResponse(400, header);
    const pathname = new URL(c.req.url).pathname;
    const fault: Fault | undefined = header ?? ctx.faults.decide(pathname, pathname.startsWith("/v1/"));
    if (!fault) return next();
    const mark = { [FAULT_INJECTED_HEADER]: fault.kind };
    const retryAfter = String(ctx.faults.retryAfterSeconds);
    switch (fault.kind) {
      case "latency":
        await sleep(fault.latencyMs, AbortSignal.any([ctx.signal, c.req.raw.signal]));
        await next();
        c.res.headers.set(FAULT_INJECTED_HEADER, "latency");
        return;
      case "500":
        return errorResponse(500, "Internal server error", mark);
      case "503":
        return errorResponse(503, "Service temporarily unavailable, please retry", {
          ...mark,
          "retry-after": retryAfter,
        });
      case "429":
        return errorResponse(429, "Too many requests, please retry later", { ...mark, "retry-after": retryAfter });
      case "drop":
        c.env?.incoming?.socket?.destroy();
        return errorResponse(500, "Connection dropped", { ...mark, [DROP_MARKER_HEADER]: "1" });
      case "lost":
        await next();
        await c.res.body?.cancel();
        c.env?.incoming?.socket?.destroy();
        c.res = errorResponse(500, "Connection dropped after the request was applied", {
          ...mark,
          [DROP_MARKER_HEADER]: "lost",
        });
        return;
    }
  });

  app.use("/v1/*", async (c, next) => {
    const auth = c.req.header("authorization");
    if (!auth) throw new ApiError(403, "Missing API key: send the header Authorization: Bearer <your SLNG API key>");
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
    if (!match)
      throw new ApiError(403, "Malformed Authorization header: expected Authorization: Bearer <your SLNG API key>");
    const owner = ctx.owners.get(match[1] as string);
    if (!owner) throw new ApiError(403, "API key id not found");
    c.set("owner", owner);
    await next();
  });

  const ownJob = (c: Context<AppEnv>): JobRecord => {
    const id = validateJobId(c.req.param("jobId"));
    const job = ctx.store.get(id, c.get("owner").id);
    if (!job) throw new ApiError(404, "Job not found");
    return job;
  };

  const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

  app.post("/v1/batch/jobs", async (c) => {
    const owner = c.get("owner");
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (type.startsWith("multipart/form-data")) return createMultipart(c, owner);
    if (/^application\/([\w.+-]+\+)?json\b/.test(type)) {
      const body = await readJsonBody(c);
      if ("mode" in body) return presign(c, owner, body);
      if ("s3_key" in body) return completePresign(owner, body);
      if ("input_url" in body) return createFromUrl(owner, body);
      throw new ApiError(
        400,
        'The JSON body must contain input_url (URL input), "mode": "presign" (request an upload URL) or s3_key (create the job from a presigned upload)',
      );
    }
    throw new ApiError(
      400,
      `Unsupported Content-Type ${quote(type || "(none)")}: send multipart/form-data (file upload) or application/json (URL input or presigned upload)`,
    );
  });

  const acknowledge = (job: JobRecord) => jsonResponse(202, { job_id: job.id, status: "QUEUED" });

  async function createMultipart(c: Context<AppEnv>, owner: Owner): Promise<Response> {
    const declared = contentLength(c);
    if (declared !== undefined && declared > ctx.maxInputBytes + MULTIPART_OVERHEAD) {
      throw new ApiError(413, TOO_LARGE_MESSAGE, { connection: "close" });
    }
    const { fields, file } = await receiveMultipart(
      c.req.raw.body,
      c.req.header("content-type") ?? "",
      ctx.storage,
      ctx.maxInputBytes,
      "file",
      (name, value) => validateMultipartField(ctx, owner, name, value),
    ).catch((e: unknown) => {
      // The rest of the body may still be on its way: answer and close rather than read it.
      if (e instanceof ApiError) throw new ApiError(e.status, e.message, { ...e.headers, connection: "close" });
      throw e;
    });
    if (!file) {
      throw new ApiError(
        400,
        "Missing file: send the audio in the multipart field 'file' (e.g. curl -F file=@audio.wav)",
      );
    }
    let opts: ReturnType<typeof multipartOptions>;
    try {
      opts = multipartOptions(ctx, owner, fields);
    } catch (e) {
      await rm(file.path, { force: true });
      throw e;
    }
    const job = await createJobFromFile(ctx, owner, opts, {
      path: file.path,
      size: file.size,
      name: file.filename,
      mime: file.mimeType,
      source: "upload",
    });
    return acknowledge(job);
  }

  async function createFromUrl(owner: Owner, body: Record<string, unknown>): Promise<Response> {
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

  async function presign(c: Context<AppEnv>, owner: Owner, body: Record<string, unknown>): Promise<Response> {
    if (body.mode !== "presign")
      throw new ApiError(400, `Invalid mode ${quote(body.mode)}: the only mode is "presign"`);
    rejectUnknownFields(body, PRESIGN_FIELDS, "a presign request");
    if (typeof body.filename !== "string" || !body.filename.trim()) {
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
    const format = formatFromName(body.filename) ?? formatFromMime(contentType);
    if (!format) {
      throw new ApiError(
        400,
        `Unsupported file type ${quote(body.filename)}: the filename must end in .wav, .mp3, .flac, .aac, .ogg, .m4a, .mp4, .amr or .mpeg`,
      );
    }
    const transcriptionConfig = validateTranscriptionConfig(body.transcription_config);
    const tracking = body.tracking === undefined ? undefined : validateTracking(body.tracking);
    const outputConfig = body.output_config === undefined ? undefined : validateOutputConfig(body.output_config);
    const jobId = body.job_id === undefined ? generateJobId() : checkJobIdFree(ctx, validateJobId(body.job_id), owner);
    const key = `inputs/${jobId}.${format}`;
    const now = ctx.now();
    const replaced = ctx.store.pending.add({
      owner: owner.id,
      jobId,
      key,
      contentType,
      filename: body.filename,
      issuedAt: now,
      uploaded: false,
    });
    await discardReservations(ctx, [replaced, ...ctx.store.pending.sweep(now)]);
    const response: PresignResponse = {
      job_id: jobId,
      transcription_config: transcriptionConfig,
      ...(tracking ? { tracking } : {}),
      ...(outputConfig ? { output_config: outputConfig } : {}),
      input_s3_uri: s3Uri(key),
      output_s3_prefix: s3Uri(`outputs/${jobId}/`),
      upload: {
        url: ctx.signer.sign(originOf(c), {
          method: "PUT",
          key,
          issuedAt: now,
          expiresIn: PRESIGN_UPLOAD_EXPIRES_IN,
          contentType,
        }),
        s3_key: key,
        s3_uri: s3Uri(key),
        expires_in: PRESIGN_UPLOAD_EXPIRES_IN,
        headers: { "Content-Type": contentType },
      },
    };
    return jsonResponse(200, response);
  }

  async function completePresign(owner: Owner, body: Record<string, unknown>): Promise<Response> {
    rejectUnknownFields(body, COMPLETE_FIELDS, "a presign completion request");
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
    const opts = validateCreateOptions(ctx, owner, { ...body, job_id: undefined });
    // Consumed from here on: a PUT to its URL, even one already under way, can no longer replace the input.
    ctx.store.pending.void(pending.jobId);
    try {
      const size = (await ctx.storage.size(pending.key)) ?? 0;
      const job = await createJobFromFile(
        ctx,
        owner,
        { ...opts, jobId: pending.jobId },
        {
          path: ctx.storage.pathOf(pending.key),
          size,
          name: pending.filename,
          mime: pending.contentType,
          source: "presign",
          key: pending.key,
        },
      );
      return acknowledge(job);
    } catch (e) {
      if (!ctx.store.jobs.has(pending.jobId)) ctx.store.pending.restore(pending);
      throw e;
    }
  }

  app.get("/v1/batch/jobs", (c) => {
    const q = parseListQuery(new URL(c.req.url).searchParams);
    const { items, total } = ctx.store.list(c.get("owner").id, q, ctx.now(), ctx.retentionSeconds);
    return jsonResponse(200, {
      items,
      meta: { page: q.page, page_size: q.pageSize, total, pages: Math.ceil(total / q.pageSize) },
    });
  });

  app.get("/v1/batch/jobs/:jobId", async (c) => {
    const job = ownJob(c);
    const now = ctx.now();
    await purgeIfExpired(job, now);
    return jsonResponse(200, toBatchJob(job, now, ctx.retentionSeconds));
  });

  app.delete("/v1/batch/jobs/:jobId", async (c) => {
    const job = ownJob(c);
    const now = ctx.now();
    const status = jobStatus(job, now);
    if (status !== "DONE" && status !== "FAILED") {
      throw new ApiError(409, `Job must be DONE or FAILED to delete (it is ${status})`);
    }
    job.deletedAt = now;
    await purgeFiles(job);
    ctx.store.compactDeleted(job);
    return jsonResponse(202, { job_id: job.id, status: "DELETED" });
  });

  app.get("/v1/batch/jobs/:jobId/files", async (c) => {
    const job = ownJob(c);
    const now = ctx.now();
    await purgeIfExpired(job, now);
    const origin = originOf(c);
    const sign = (key: string) =>
      ctx.signer.sign(origin, { method: "GET", key, issuedAt: now, expiresIn: DOWNLOAD_URL_EXPIRES_IN });
    const body: JobFilesResponse = { job_id: job.id, inputs: [], outputs: [] };
    if (!job.filesPurged && job.deletedAt === undefined) {
      body.inputs.push({ key: job.input.key, s3_uri: s3Uri(job.input.key), download_url: sign(job.input.key) });
      if (jobStatus(job, now) === "DONE") {
        for (const format of OUTPUT_FORMATS) {
          const key = `outputs/${job.id}/transcript.${format}`;
          body.outputs.push({ format, key, s3_uri: s3Uri(key), download_url: sign(key) });
        }
      }
    }
    return jsonResponse(200, body);
  });

  const storageKey = (c: Context<AppEnv>): string => {
    if (c.req.header("authorization") !== undefined) {
      throw new ApiError(
        400,
        "Storage requests must not carry an Authorization header: signed URLs carry their own credentials (never send your API key to storage)",
      );
    }
    const raw = new URL(c.req.url).pathname.slice("/storage/".length);
    let key: string;
    try {
      key = decodeURIComponent(raw);
    } catch {
      throw new ApiError(404, "No such key");
    }
    if (!isValidKey(key)) throw new ApiError(404, "No such key");
    return key;
  };

  app.put("/storage/*", async (c) => {
    const key = storageKey(c);
    const problem = ctx.signer.verify(
      "PUT",
      key,
      new URL(c.req.url).searchParams,
      ctx.now(),
      c.req.header("content-type") ?? "",
    );
    if (problem) throw new ApiError(403, problem);
    const pending = ctx.store.pending.get(key, ctx.now());
    if (!pending) throw new ApiError(403, NO_LONGER_VALID);
    const declared = contentLength(c);
    if (declared !== undefined && declared > ctx.maxInputBytes)
      throw new ApiError(413, TOO_LARGE_MESSAGE, { connection: "close" });
    if (!c.req.raw.body) throw new ApiError(400, "The upload has no body");
    const temp = ctx.storage.tempPath();
    await ctx.storage.writeStream(c.req.raw.body, temp, ctx.maxInputBytes);
    // Checked and committed in one synchronous step, so no create can slip in between.
    if (!ctx.store.pending.isLive(pending, ctx.now())) {
      await rm(temp, { force: true });
      throw new ApiError(403, NO_LONGER_VALID);
    }
    ctx.storage.commitSync(temp, key);
    pending.uploaded = true;
    const etag = `"${createHash("md5").update(`${key}:${Date.now()}`).digest("hex")}"`;
    return new Response(null, { status: 200, headers: { etag } });
  });

  app.get("/storage/*", async (c) => {
    const key = storageKey(c);
    const now = ctx.now();
    const problem = ctx.signer.verify("GET", key, new URL(c.req.url).searchParams, now, "");
    if (problem) throw new ApiError(403, problem);
    const id = /^(?:inputs\/([A-Za-z0-9]+)\.|outputs\/([A-Za-z0-9]+)\/)/.exec(key);
    const job = ctx.store.jobs.get(id?.[1] ?? id?.[2] ?? "");
    if (job) await purgeIfExpired(job, now);
    const gone = new ApiError(404, "The file does not exist (its job may have been deleted or expired)");
    if (!job || job.filesPurged || job.deletedAt !== undefined) throw gone;
    let contentType = job.input.mimeType;
    if (key.startsWith("outputs/")) {
      if (jobStatus(job, now) !== "DONE") throw gone;
      await ensureOutputs(job);
      contentType = OUTPUT_CONTENT_TYPES[key.slice(key.lastIndexOf(".") + 1) as OutputFormat];
    } else if (key !== job.input.key) throw gone;
    const size = await ctx.storage.size(key);
    if (size === undefined) throw gone;
    const stream = Readable.toWeb(createReadStream(ctx.storage.pathOf(key))) as ReadableStream<Uint8Array>;
    return new Response(stream, {
      status: 200,
      headers: { "content-type": contentType, "content-length": String(size) },
    });
  });

  app.notFound((c) => errorResponse(404, `Not found: ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 100)}`));

  app.onError((err) => {
    if (err instanceof ApiError) return errorResponse(err.status, err.message, err.headers);
    ctx.log?.(`internal error: ${redactSignatures(err instanceof Error ? err.message : String(err))}`);
    return errorResponse(500, "Internal server error");
  });

  return app;
}
