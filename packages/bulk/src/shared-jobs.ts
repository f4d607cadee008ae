/**
 * The jobs a run is creating or has created, by job id. Identical recordings with the same
 * settings get the same id (see `deriveJobId`), so the first input to reach the create leads and
 * the others wait for it and then follow its job: one upload, one job, one charge.
 */
export class SharedJobs {
  private readonly jobs = new Map<string, Promise<boolean>>();

  /**
   * Called before creating `jobId`. Returns `follow` when another input already made (or is
   * making and then made) this job — the caller then follows that job instead of creating it;
   * otherwise the caller leads, and must call `settle(true)` once the job exists (created or
   * adopted) or `settle(false)` when its attempt did not make it.
   */
  async claim(jobId: string): Promise<{ follow: true } | { follow: false; settle: (exists: boolean) => void }> {
    for (;;) {
      const other = this.jobs.get(jobId);
      if (!other) break;
      if (await other) return { follow: true };
      if (this.jobs.get(jobId) === other) this.jobs.delete(jobId);
    }
    let settle!: (exists: boolean) => void;
    const made = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.jobs.set(jobId, made);
    return { follow: false, settle };
  }
}
