import { JobIdMap } from "./job-id-table.js";

/**
 * The jobs a run is creating or has created, by job id. Identical recordings with the same
 * settings get the same id (see `deriveJobId`), so the first input to reach the create leads and
 * the others wait for it and then follow its job: one upload, one job, one charge.
 */
export class SharedJobs {
  /** Creates under way (the leader's outcome). */
  private readonly jobs = new Map<string, Promise<boolean>>();
  /** Jobs made: only their ids are kept, packed. */
  private readonly made = new JobIdMap();

  /**
   * Called before creating `jobId`. Returns `follow` when another input already made (or is
   * making and then made) this job — the caller then follows that job instead of creating it;
   * otherwise the caller leads, and must call `settle(true)` once the job exists (created or
   * adopted) or `settle(false)` when its attempt did not make it.
   */
  async claim(jobId: string): Promise<{ follow: true } | { follow: false; settle: (exists: boolean) => void }> {
    for (;;) {
      if (this.made.has(jobId)) return { follow: true };
      const other = this.jobs.get(jobId);
      if (!other) break;
      if (await other) return { follow: true };
      if (this.jobs.get(jobId) === other) this.jobs.delete(jobId);
    }
    let resolve!: (exists: boolean) => void;
    const outcome = new Promise<boolean>((r) => {
      resolve = r;
    });
    this.jobs.set(jobId, outcome);
    const settle = (exists: boolean) => {
      if (this.jobs.get(jobId) === outcome) this.jobs.delete(jobId);
      if (exists) this.made.set(jobId);
      resolve(exists);
    };
    return { follow: false, settle };
  }
}
