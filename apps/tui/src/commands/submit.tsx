import { randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { PRESIGN_THRESHOLD_BYTES } from "@slng/client";
import { AUDIO_FORMATS, type BatchJob, DEFAULT_MODEL_CODE, isJobId, MAX_INPUT_BYTES } from "@slng/types";
import { useSyncExternalStore } from "react";
import { UploadProgress } from "../components/upload-progress.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { CreateInput, JobsApi, UploadProgress as Progress } from "../lib/api.js";
import { type ParsedCommand, UsageError } from "../lib/args.js";
import { classifyError } from "../lib/errors.js";
import { formatBytes, isoStamp } from "../lib/format.js";
import { runInk } from "../lib/ink-runner.js";
import type { Io } from "../lib/io.js";
import { jsonLine } from "../lib/line-renderer.js";
import { sanitize } from "../lib/sanitize.js";
import { UploadReporter } from "../lib/upload-report.js";
import { type UploadPhase, UploadTracker } from "../lib/upload-tracker.js";

const OPERATING_POINTS = ["standard", "enhanced"];
const DIARIZATION = ["none", "speaker", "channel"];
/** A language code's shape: `auto`, or 2–3 letters with optional subtags (`en`, `en-US`, `cmn_en`). */
const LANGUAGE_SHAPE = /^(?:auto|[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$/;
/** A model code's shape: path segments of letters, digits, `.`, `_`, `-`, and an optional `:version`. */
const MODEL_SHAPE = /^[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)*(?::[\w.-]+)?$/;

/** Builds the create input of `submit` from its arguments; every problem is a {@link UsageError} raised before any request. */
export async function buildCreateInput(
  source: string,
  values: ParsedCommand["values"],
): Promise<{ input: CreateInput; label: string }> {
  const input: CreateInput = {};
  let label = source;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new UsageError(`"${source}" is not a valid URL`, "submit");
    }
    if (url.protocol !== "https:") throw new UsageError("a recording URL must start with https://", "submit");
    input.url = source;
  } else {
    const info = await stat(source).catch(() => undefined);
    if (!info) throw new UsageError(`no such file: ${source}`, "submit");
    if (!info.isFile()) throw new UsageError(`not a file: ${source}`, "submit");
    if (info.size > MAX_INPUT_BYTES) {
      throw new UsageError(`${source} is ${formatBytes(info.size)}; the API accepts at most 1 GB`, "submit");
    }
    const ext = extname(source).slice(1).toLowerCase();
    if (!(AUDIO_FORMATS as readonly string[]).includes(ext)) {
      throw new UsageError(`unsupported file type ".${ext}" — use one of: ${AUDIO_FORMATS.join(", ")}`, "submit");
    }
    input.file = source;
    input.filename = basename(source);
    label = basename(source);
  }
  const language = (values.language as string | undefined) ?? "en";
  if (!LANGUAGE_SHAPE.test(language)) {
    throw new UsageError(
      `--language must be a language code such as en, de or en-US${language === "" ? " (it is empty)" : ` (got "${language}")`}`,
      "submit",
    );
  }
  const config: Record<string, unknown> = { language };
  const op = values["operating-point"] as string | undefined;
  if (op !== undefined) {
    if (!OPERATING_POINTS.includes(op))
      throw new UsageError(`--operating-point must be standard or enhanced`, "submit");
    config.operating_point = op;
  }
  const diar = values.diarization as string | undefined;
  if (diar !== undefined) {
    if (!DIARIZATION.includes(diar)) throw new UsageError(`--diarization must be none, speaker or channel`, "submit");
    config.diarization = diar;
  }
  input.config = config;
  const tracking: NonNullable<CreateInput["tracking"]> = {};
  if (typeof values.title === "string") tracking.title = values.title;
  if (typeof values.reference === "string") tracking.reference = values.reference;
  if (Array.isArray(values.tag) && values.tag.length > 0) tracking.tags = values.tag;
  if (Object.keys(tracking).length > 0) input.tracking = tracking;
  const jobId = values["job-id"] as string | undefined;
  if (jobId !== undefined) {
    if (!isJobId(jobId)) throw new UsageError(`--job-id must be letters and digits only (got "${jobId}")`, "submit");
    input.jobId = jobId;
  }
  if (typeof values.model === "string") {
    if (!MODEL_SHAPE.test(values.model)) {
      throw new UsageError(
        `--model must be a model code such as ${DEFAULT_MODEL_CODE} (got "${values.model}")`,
        "submit",
      );
    }
    input.modelCode = values.model;
  }
  if (typeof values.metadata === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.metadata);
    } catch {
      throw new UsageError('--metadata must be a JSON object, e.g. \'{"team":"sales"}\'', "submit");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new UsageError("--metadata must be a JSON object", "submit");
    }
    input.metadata = parsed as Record<string, unknown>;
  }
  return { input, label };
}

/**
 * Checks what the API can tell cheaply before a file is sent, so a bad key or a taken id does
 * not cost a whole upload: one authenticated GET — of the chosen job id (404 means it is free),
 * or of a one-job list page. A taken id is a {@link UsageError}; API errors are thrown as they
 * come (403 → exit 3). URL inputs skip it: their create is as cheap as the check.
 */
export async function preflight(api: JobsApi, input: CreateInput, signal: AbortSignal): Promise<void> {
  if (input.file === undefined) return;
  if (input.jobId === undefined) {
    await api.listPage({ pageSize: 1, signal });
    return;
  }
  let job: BatchJob;
  try {
    job = await api.get(input.jobId, { signal });
  } catch (error) {
    if (classifyError(error) === "not-found") return;
    throw error;
  }
  throw new UsageError(
    `job id "${input.jobId}" is already taken (that job is ${job.status}): choose another --job-id, or leave it out to get a generated one`,
    "submit",
  );
}

/** How a submit of `input` starts: nothing to upload for a URL, a presign above the client's threshold. */
export function firstPhase(input: CreateInput, size: number): Progress["phase"] {
  if (input.url !== undefined) return "create";
  return size > PRESIGN_THRESHOLD_BYTES ? "presign" : "upload";
}

async function inputSize(input: CreateInput): Promise<number> {
  if (input.file === undefined) return 0;
  if (typeof input.file !== "string") return input.file.byteLength;
  return (await stat(input.file).catch(() => undefined))?.size ?? 0;
}

class ProgressStore {
  private readonly listeners = new Set<() => void>();
  private lastEmit = 0;
  constructor(readonly tracker: UploadTracker) {}
  get = () => this.tracker.snapshot();
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  /** Tells the view, at most every 100 ms unless `force` (a phase change, a tick). */
  emit(force = false) {
    const now = Date.now();
    if (!force && now - this.lastEmit < 100) return;
    this.lastEmit = now;
    for (const fn of this.listeners) fn();
  }
}

function ProgressApp({ store, label }: { store: ProgressStore; label: string }) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  const { columns } = useTerminalSize();
  return <UploadProgress filename={label} columns={columns} {...s} />;
}

/** Thrown by {@link submitWithProgress} when it was aborted: the step it was in says whether a job may exist. */
export class SubmitInterrupted extends Error {
  override readonly name = "AbortError";
  constructor(
    readonly phase: UploadPhase,
    /** The id the job was being created with, when known. */
    readonly jobId?: string,
  ) {
    super("interrupted");
  }
}

/** What to tell the user after an interrupted submit: no job, or (once the file was sent) maybe one, by its id. */
export function interruptedMessage(error: unknown): string {
  if (error instanceof SubmitInterrupted && (error.phase === "create" || error.phase === "done")) {
    const id = error.jobId !== undefined ? sanitize(error.jobId) : undefined;
    return id
      ? `interrupted while job ${id} was being created: it may exist — check with slng-batch watch ${id}.`
      : "interrupted while the job was being created: it may exist — check with slng-batch jobs.";
  }
  return "interrupted: the upload was cancelled, no job was created.";
}

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A job id as the API takes them (24 lowercase letters and digits, as the client would choose),
 * chosen here so an interrupted submit can name it.
 */
export function newJobId(): string {
  return Array.from(randomBytes(24), (b) => ID_CHARS[b % ID_CHARS.length]).join("");
}

/** The progress display refreshes (and `--json` reports) this often, even when no byte moves. */
export const PROGRESS_TICK_MS = 1000;

/**
 * Creates a job with upload progress in bytes of the file: an Ink progress bar (bytes, %,
 * speed, time left) on a TTY, or without one `upload_progress` events each second with
 * `--json`, else progress lines on stderr (see {@link UploadReporter}).
 */
export async function submitWithProgress(io: Io, api: JobsApi, input: CreateInput, name: string, signal: AbortSignal) {
  const label = sanitize(name);
  const size = await inputSize(input);
  const tracker = new UploadTracker(size, input.file !== undefined ? "check" : firstPhase(input, size));
  const store = new ProgressStore(tracker);
  const reporter = new UploadReporter((t) => (io.json ? io.stdout : io.stderr).write(t), io.json, label);
  const local = new AbortController();
  if (signal.aborted) local.abort();
  signal.addEventListener("abort", () => local.abort(), { once: true });
  const onUploadProgress = (p: Progress) => {
    const changed = tracker.progress(p);
    store.emit(changed);
    if (!io.interactive) reporter.onProgress(tracker.snapshot(), changed, Date.now());
  };
  const ticker = setInterval(() => {
    tracker.tick();
    store.emit(true);
    if (!io.interactive) reporter.onTick(tracker.snapshot(), Date.now());
  }, PROGRESS_TICK_MS);
  const jobId = input.jobId ?? newJobId();
  const create = async () => {
    if (!io.interactive) reporter.onProgress(tracker.snapshot(), true, Date.now());
    try {
      if (input.file !== undefined) {
        await preflight(api, input, local.signal);
        onUploadProgress({ loaded: 0, total: size, phase: firstPhase(input, size) });
      }
      return await api.create({ ...input, jobId, onUploadProgress, signal: local.signal });
    } catch (error) {
      if (local.signal.aborted) throw new SubmitInterrupted(tracker.snapshot().phase, jobId);
      throw error;
    } finally {
      clearInterval(ticker);
    }
  };
  if (io.interactive) return await createOnScreen(io, store, label, create, () => local.abort());
  const ack = await create();
  if (io.json)
    io.stdout.write(
      jsonLine({ type: "submitted", timestamp: isoStamp(Date.now()), job_id: ack.job_id, status: ack.status }),
    );
  return ack;
}

type Ack = Awaited<ReturnType<JobsApi["create"]>>;

/** Runs `create` under the Ink progress bar; its final frame (`submitted as …`) stays on screen. */
async function createOnScreen(
  io: Io,
  store: ProgressStore,
  label: string,
  create: () => Promise<Ack>,
  abort: () => void,
): Promise<Ack> {
  let result: Ack | undefined;
  let failure: unknown;
  await runInk(
    io,
    (exit) => {
      create().then(
        (ack) => {
          result = ack;
          store.tracker.done(ack.job_id);
          store.emit(true);
          setTimeout(exit, 50);
        },
        (error) => {
          failure = error;
          setTimeout(exit, 0);
        },
      );
      return <ProgressApp store={store} label={label} />;
    },
    abort,
  );
  if (failure !== undefined || !result) throw failure ?? new Error("upload did not complete");
  return result;
}
