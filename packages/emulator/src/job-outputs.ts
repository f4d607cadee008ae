import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorContext } from "./context.js";
import { expiresAt, type JobRecord } from "./store.js";
import { buildTranscript, transcriptSrt, transcriptText } from "./transcript.js";

/**
 * A job's files on disk: writes its outputs once, on first download (synthetic transcript in
 * json, txt and srt), and removes its input and outputs on delete or when retention expires.
 */
export class JobOutputs {
  readonly #ready = new Map<string, Promise<void>>();

  constructor(private readonly ctx: EmulatorContext) {}

  /** Removes the job's files once its retention period has passed (expired jobs keep no files). */
  async purgeIfExpired(job: JobRecord, now: number): Promise<void> {
    const expiry = expiresAt(job, this.ctx.retentionSeconds);
    if (!job.filesPurged && expiry !== undefined && now >= expiry) await this.purge(job);
  }

  /** Removes the job's input and outputs (delete, expiry). */
  async purge(job: JobRecord): Promise<void> {
    job.filesPurged = true;
    this.#ready.delete(job.id);
    await this.ctx.storage.remove(job.input.key);
    await rm(join(this.ctx.storage.dir, "outputs", job.id), { recursive: true, force: true });
  }

  /** Writes the job's three outputs if not yet written; concurrent callers share one write. */
  ensure(job: JobRecord): Promise<void> {
    let p = this.#ready.get(job.id);
    if (!p) {
      p = this.#write(job);
      p.catch(() => this.#ready.delete(job.id));
      this.#ready.set(job.id, p);
    }
    return p;
  }

  async #write(job: JobRecord): Promise<void> {
    const { storage } = this.ctx;
    const transcript = buildTranscript({
      jobId: job.id,
      createdAt: new Date(job.schedule.submittedAt).toISOString(),
      completedAt: new Date(job.schedule.completedAt).toISOString(),
      dataName: job.input.dataName,
      durationSeconds: job.input.durationSeconds,
      channels: job.input.channels,
      transcriptionConfig: job.transcriptionConfig,
    });
    await mkdir(join(storage.dir, "outputs", job.id), { recursive: true });
    await Promise.all([
      writeFile(storage.pathOf(`outputs/${job.id}/transcript.json`), JSON.stringify(transcript, null, 2)),
      writeFile(storage.pathOf(`outputs/${job.id}/transcript.txt`), transcriptText(transcript)),
      writeFile(storage.pathOf(`outputs/${job.id}/transcript.srt`), transcriptSrt(transcript, job.outputConfig)),
    ]);
  }
}
