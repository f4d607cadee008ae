import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { AUDIO_FORMATS, isJobId, MAX_INPUT_BYTES } from "@slng/types";
import { useSyncExternalStore } from "react";
import { SpeedMeter, UploadProgress } from "../components/upload-progress.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { CreateInput, JobsApi, UploadProgress as Progress } from "../lib/api.js";
import { type ParsedCommand, UsageError } from "../lib/args.js";
import { formatBytes, isoStamp } from "../lib/format.js";
import { runInk } from "../lib/ink-runner.js";
import type { Io } from "../lib/io.js";
import { jsonLine } from "../lib/line-renderer.js";

const OPERATING_POINTS = ["standard", "enhanced"];
const DIARIZATION = ["none", "speaker", "channel"];

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
  const config: Record<string, unknown> = { language: (values.language as string | undefined) ?? "en" };
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
  if (typeof values.model === "string") input.modelCode = values.model;
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

interface ProgressSnapshot {
  loaded: number;
  total: number;
  phase: Progress["phase"] | "done";
  bytesPerSecond?: number | undefined;
  jobId?: string | undefined;
}

class ProgressStore {
  private snapshot: ProgressSnapshot = { loaded: 0, total: 0, phase: "presign" };
  private readonly listeners = new Set<() => void>();
  private readonly meter = new SpeedMeter();
  private lastEmit = 0;
  get = () => this.snapshot;
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  update(p: Partial<ProgressSnapshot>, force = false) {
    const now = Date.now();
    const bytesPerSecond =
      p.loaded !== undefined
        ? (this.meter.add(now, p.loaded) ?? this.snapshot.bytesPerSecond)
        : this.snapshot.bytesPerSecond;
    this.snapshot = { ...this.snapshot, ...p, bytesPerSecond };
    if (!force && now - this.lastEmit < 100 && p.phase === undefined) return;
    this.lastEmit = now;
    for (const fn of this.listeners) fn();
  }
}

function ProgressApp({ store, label }: { store: ProgressStore; label: string }) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  const { columns } = useTerminalSize();
  return <UploadProgress filename={label} columns={columns} {...s} />;
}

/**
 * Creates a job with upload progress: an Ink progress bar (bytes, %, speed, time left) on a
 * TTY, progress lines on stderr otherwise, or `upload_progress` events with `--json`.
 */
export async function submitWithProgress(io: Io, api: JobsApi, input: CreateInput, label: string, signal: AbortSignal) {
  const store = new ProgressStore();
  const local = new AbortController();
  if (signal.aborted) local.abort();
  signal.addEventListener("abort", () => local.abort(), { once: true });
  let lastLine = -1;
  const onUploadProgress = (p: Progress) => {
    store.update({ loaded: p.loaded, total: p.total, phase: p.phase });
    if (io.interactive) return;
    const pct = p.total > 0 ? Math.floor((p.loaded / p.total) * 100) : 0;
    const bucket = p.phase === "upload" ? Math.floor(pct / 25) : -1;
    if (io.json) {
      if (bucket !== lastLine || p.phase !== "upload") {
        lastLine = bucket;
        io.stdout.write(
          jsonLine({
            type: "upload_progress",
            timestamp: isoStamp(Date.now()),
            loaded: p.loaded,
            total: p.total,
            phase: p.phase,
          }),
        );
      }
    } else if (p.phase === "upload" && bucket !== lastLine) {
      lastLine = bucket;
      io.stderr.write(`${isoStamp(Date.now())}  uploading ${label}: ${pct}% of ${formatBytes(p.total)}\n`);
    }
  };
  const create = () => api.create({ ...input, onUploadProgress, signal: local.signal });
  if (!io.interactive) {
    const ack = await create();
    if (io.json)
      io.stdout.write(
        jsonLine({ type: "submitted", timestamp: isoStamp(Date.now()), job_id: ack.job_id, status: ack.status }),
      );
    return ack;
  }
  let result: Awaited<ReturnType<JobsApi["create"]>> | undefined;
  let failure: unknown;
  await runInk(
    io,
    (exit) => {
      create().then(
        (ack) => {
          result = ack;
          store.update({ phase: "done", jobId: ack.job_id, loaded: store.get().total || store.get().loaded }, true);
          setTimeout(exit, 50);
        },
        (error) => {
          failure = error;
          setTimeout(exit, 0);
        },
      );
      return <ProgressApp store={store} label={label} />;
    },
    () => local.abort(),
  );
  if (failure !== undefined || !result) throw failure ?? new Error("upload did not complete");
  return result;
}
