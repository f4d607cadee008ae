/** A presign step-1 reservation: the job id and key the upload goes to. */
export interface PendingUpload {
  owner: string;
  jobId: string;
  key: string;
  contentType: string;
  filename: string;
  issuedAt: number;
  uploaded: boolean;
}

/**
 * Presign reservations, by storage key and by job id (a job id has at most one). A reservation
 * lives as long as its upload URL; one whose object was uploaded gets as long again to be
 * completed (step 3). Expired, replaced and voided reservations are handed back so the caller
 * can remove their uploaded objects.
 */
export class Reservations {
  readonly #byKey = new Map<string, PendingUpload>();
  readonly #byJob = new Map<string, PendingUpload>();
  readonly #lifetimeMs: number;

  constructor(lifetimeSeconds: number) {
    this.#lifetimeMs = lifetimeSeconds * 1000;
  }

  /** How many reservations are held. */
  get size(): number {
    return this.#byKey.size;
  }

  #expired(p: PendingUpload, now: number): boolean {
    return now > p.issuedAt + this.#lifetimeMs * (p.uploaded ? 2 : 1);
  }

  /** Adds `p`, replacing the job id's earlier reservation; returns what it replaced, if anything. */
  add(p: PendingUpload): PendingUpload | undefined {
    const old = this.void(p.jobId);
    this.#byKey.set(p.key, p);
    this.#byJob.set(p.jobId, p);
    return old;
  }

  /** The live reservation of `key`, if any. */
  get(key: string, now: number): PendingUpload | undefined {
    const p = this.#byKey.get(key);
    return p && !this.#expired(p, now) ? p : undefined;
  }

  /** True when `p` is still the live reservation of its key (not consumed, voided or replaced). */
  isLive(p: PendingUpload, now: number): boolean {
    return this.#byKey.get(p.key) === p && !this.#expired(p, now);
  }

  /** True when another key holds a live reservation of `jobId`. */
  takenByOther(jobId: string, owner: string, now: number): boolean {
    const p = this.#byJob.get(jobId);
    return p !== undefined && p.owner !== owner && !this.#expired(p, now);
  }

  /** Removes `jobId`'s reservation (its job now exists, or it was replaced) and returns it. */
  void(jobId: string): PendingUpload | undefined {
    const p = this.#byJob.get(jobId);
    if (!p) return undefined;
    this.#byJob.delete(jobId);
    if (this.#byKey.get(p.key) === p) this.#byKey.delete(p.key);
    return p;
  }

  /** Puts back a reservation taken for a completion that then failed (unless another replaced it). */
  restore(p: PendingUpload): void {
    if (!this.#byJob.has(p.jobId)) {
      this.#byKey.set(p.key, p);
      this.#byJob.set(p.jobId, p);
    }
  }

  /** Removes every expired reservation and returns them. */
  sweep(now: number): PendingUpload[] {
    const gone: PendingUpload[] = [];
    for (const p of this.#byKey.values()) if (this.#expired(p, now)) gone.push(p);
    for (const p of gone) this.void(p.jobId);
    return gone;
  }
}
