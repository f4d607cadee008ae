import type { UploadProgress } from "./api.js";

/** The steps of a submit as shown to the user: `check` (key and job id, before any byte), the client's steps, `done` once the job exists. */
export type UploadPhase = "check" | UploadProgress["phase"] | "done";

/** What the progress display shows at one moment. */
export interface UploadSnapshot {
  phase: UploadPhase;
  /** Bytes of the file sent. */
  loaded: number;
  /** The file's size (0 for a URL input: nothing to upload). */
  total: number;
  /** Bytes per second over the last few seconds; undefined before there is a measurement. */
  bytesPerSecond?: number | undefined;
  /** Estimated seconds until the file is sent; only while uploading with a known speed. */
  secondsLeft?: number | undefined;
  jobId?: string | undefined;
}

/** Measures upload speed over a sliding window of samples (bytes per second). */
export class SpeedMeter {
  private samples: { at: number; loaded: number }[] = [];
  constructor(private readonly windowMs = 3000) {}

  /** Records `loaded` bytes at time `at`; returns the current speed, or undefined with too little data. */
  add(at: number, loaded: number): number | undefined {
    const last = this.samples.at(-1);
    if (last && loaded < last.loaded) this.samples = []; // a retried attempt starts again from 0
    this.samples.push({ at, loaded });
    while (this.samples.length > 2 && at - (this.samples[0]?.at ?? at) > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (!first || at - first.at < 200) return undefined;
    return ((loaded - first.loaded) / (at - first.at)) * 1000;
  }
}

/**
 * Follows one submit: the client's progress reports (already in bytes of the file) and a
 * clock tick, so the speed falls when the upload stalls and the time left stays honest.
 */
export class UploadTracker {
  private state: UploadSnapshot;
  private readonly meter = new SpeedMeter();

  constructor(
    total: number,
    phase: UploadPhase,
    private readonly now: () => number = Date.now,
  ) {
    this.state = { phase, loaded: 0, total };
  }

  /** The current state. */
  snapshot(): UploadSnapshot {
    return this.state;
  }

  /** Applies a progress report of the client; returns whether the phase changed. */
  progress(p: UploadProgress): boolean {
    const changed = p.phase !== this.state.phase;
    this.measure(p.loaded, p.phase);
    return changed;
  }

  /** Samples the speed with no new bytes (called about once a second). */
  tick(): void {
    if (this.state.phase === "upload") this.measure(this.state.loaded, "upload");
  }

  /** Marks the job as created. */
  done(jobId: string): void {
    this.state = { ...this.state, phase: "done", jobId, loaded: this.state.total, secondsLeft: undefined };
  }

  private measure(loaded: number, phase: UploadPhase): void {
    const speed = this.meter.add(this.now(), loaded) ?? this.state.bytesPerSecond;
    const left = this.state.total - loaded;
    const secondsLeft = phase === "upload" && speed !== undefined && speed > 0 && left > 0 ? left / speed : undefined;
    this.state = { ...this.state, phase, loaded, bytesPerSecond: speed, secondsLeft };
  }
}
