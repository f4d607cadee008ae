import type { AudioFormat, BatchJob, InputSource, JobStatus, OutputConfig, TranscriptionConfig } from "@slng/types";
import { PRESIGN_UPLOAD_EXPIRES_IN } from "@slng/types";
import { indexedList } from "./indexed-list.js";
import { lastTransitionAt, type Schedule, statusAt } from "./lifecycle.js";
import { scanList } from "./list-scan.js";
import { OwnerIndex } from "./owner-index.js";
import { Reservations } from "./reservations.js";
import type { ListQuery } from "./validation.js";

/** The measured input of a job. */
export interface StoredInput {
  key: string;
  sizeBytes: number;
  durationSeconds: number;
  format: AudioFormat;
  mimeType: string;
  source: InputSource;
  dataName: string;
  channels: number;
}

/** Everything the emulator keeps about one job. */
export interface JobRecord {
  id: string;
  /** Creation order, to break ties between jobs submitted in the same millisecond. */
  seq: number;
  /** Internal owner id derived from the API key (the key itself is never stored in a job). */
  owner: string;
  organisationId: string;
  modelCode: string;
  transcriptionConfig: TranscriptionConfig;
  tracking: Record<string, unknown> | undefined;
  outputConfig: OutputConfig | undefined;
  metadata: Record<string, unknown> | undefined;
  input: StoredInput;
  schedule: Schedule;
  /** The message a failing job ends with. */
  failMessage: string | undefined;
  deletedAt: number | undefined;
  /** Set once the job's files were removed (delete or retention). */
  filesPurged: boolean;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The job's status at `now`, including DELETED. */
export function jobStatus(job: JobRecord, now: number): JobStatus {
  if (job.deletedAt !== undefined) return "DELETED";
  return statusAt(job.schedule, now);
}

/** When the job expires (completion + retention), if retention is configured. */
export function expiresAt(job: JobRecord, retentionSeconds: number | undefined): number | undefined {
  return retentionSeconds === undefined ? undefined : job.schedule.completedAt + retentionSeconds * 1000;
}

/** The full `BatchJob` view of a record at `now` (status and timestamps derived from the clock). */
export function toBatchJob(job: JobRecord, now: number, retentionSeconds: number | undefined): BatchJob {
  const status = jobStatus(job, now);
  const s = job.schedule;
  const completed = now >= s.completedAt;
  const expiry = expiresAt(job, retentionSeconds);
  const expired = expiry !== undefined && now >= expiry ? expiry : undefined;
  const updated = Math.max(lastTransitionAt(s, now), job.deletedAt ?? 0, expired ?? 0);
  return {
    job_id: job.id,
    api_key_id: job.owner,
    organisation_id: job.organisationId,
    model_code: job.modelCode,
    status,
    job_config: {
      type: "transcription",
      transcription_config: job.transcriptionConfig,
      ...(job.tracking ? { tracking: job.tracking } : {}),
      ...(job.outputConfig ? { output_config: job.outputConfig } : {}),
    },
    input_metadata: {
      size_bytes: job.input.sizeBytes,
      duration_seconds: Math.round(job.input.durationSeconds * 1000) / 1000,
      format: job.input.format,
      mime_type: job.input.mimeType,
      source: job.input.source,
    },
    output_metadata:
      completed && !s.fails
        ? { formats: ["json", "txt", "srt"], generated_by: "@slng/emulator", synthetic_transcript: true }
        : {},
    error_message: completed && s.fails ? { message: job.failMessage ?? "Transcription failed." } : null,
    submitted_at: iso(s.submittedAt) as string,
    started_at: now >= s.startedAt ? iso(s.startedAt) : null,
    completed_at: completed ? iso(s.completedAt) : null,
    deleted_at: iso(job.deletedAt),
    expired_at: iso(expired),
    updated_at: iso(updated) as string,
  };
}

/** In-memory job store: jobs by id (ids are unique across keys), an index per key for the list, and presign reservations. */
export class JobStore {
  readonly jobs = new Map<string, JobRecord>();
  readonly #owners = new Map<string, OwnerIndex>();
  /** Presign reservations; they expire with their upload URL. */
  readonly pending = new Reservations(PRESIGN_UPLOAD_EXPIRES_IN);

  /** True when `id` is taken by a job or by another key's live reservation. */
  isTaken(id: string, owner: string, now: number): boolean {
    return this.jobs.has(id) || this.pending.takenByOther(id, owner, now);
  }

  /**
   * Drops what a DELETED job (its files already removed) no longer needs: its metadata (never
   * shown), its storage key, and what only its outputs used (the file name, channel count). The
   * job stays listable with its status, timestamps, config and measured input.
   */
  compactDeleted(job: JobRecord): void {
    job.metadata = undefined;
    job.input.key = "";
    job.input.dataName = "";
    job.input.channels = 1;
  }

  /** A job visible to `owner`, or undefined (another key's job is invisible). */
  get(id: string, owner: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : undefined;
  }

  /** Adds a new job: by id, and to its key's list index. */
  add(job: JobRecord): void {
    this.jobs.set(job.id, job);
    let index = this.#owners.get(job.owner);
    if (!index) {
      index = new OwnerIndex();
      this.#owners.set(job.owner, index);
    }
    index.add(job);
  }

  /** Marks a DONE or FAILED job DELETED at `now` (its status from then on), keeping the index in step. */
  markDeleted(job: JobRecord, now: number): void {
    const index = this.#owners.get(job.owner);
    if (index) index.markDeleted(job, now);
    else job.deletedAt = now;
  }

  /**
   * One page of `owner`'s jobs, filtered and sorted as the list operation documents, served from
   * the key's index (no scan of its other jobs) whenever it can answer.
   */
  list(
    owner: string,
    q: ListQuery,
    now: number,
    retentionSeconds: number | undefined,
  ): { items: BatchJob[]; total: number } {
    const index = this.#owners.get(owner);
    if (!index) return { items: [], total: 0 };
    index.settle(now);
    const page = indexedList(index, q, now) ?? scanList(index.all, q, now);
    return { items: page.jobs.map((j) => toBatchJob(j, now, retentionSeconds)), total: page.total };
  }
}
