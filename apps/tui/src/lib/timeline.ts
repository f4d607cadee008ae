import type { BatchJob, JobStatus } from "@slng/types";
import { parseTime } from "./format.js";

/** The processing stages in order; the timeline always shows these plus a terminal one. */
export const STAGES = ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING"] as const;

/** One stage of the timeline as the watcher knows it. */
export interface StageRecord {
  status: JobStatus;
  /** When the stage began (ms), if known. */
  startedAt?: number;
  /** When it ended (ms); undefined while current. */
  endedAt?: number;
  /** True when the boundaries were not observed closely (the stage passed before or between polls). */
  approximate?: boolean;
}

/** The stage timeline of one job, built up from the snapshots a watch sees. */
export interface Timeline {
  stages: StageRecord[];
  /** The status of the last snapshot. */
  current?: JobStatus;
}

const ORDER: Record<string, number> = {
  QUEUED: 0,
  IN_PROGRESS: 1,
  DECODING: 2,
  POST_PROCESSING: 3,
  DONE: 4,
  FAILED: 4,
  DELETED: 5,
};

/**
 * Folds a new job snapshot, seen at `now`, into the timeline. Server timestamps are used where the
 * API has them (`submitted_at` starts QUEUED, `started_at` ends it, `updated_at` starts the
 * stage a snapshot shows, `completed_at` ends the last stage), so two watches of one job show the
 * same durations; only without them is a boundary the time the watcher observed the change. A
 * stage between two known boundaries is exact even when no poll saw it (IN_PROGRESS between
 * `started_at` and a first snapshot in DECODING); where stages passed between two polls, the
 * last one seen and the unseen ones share the interval, marked approximate. Returns the same
 * object when nothing changed, so views can skip re-rendering.
 */
export function advanceTimeline(timeline: Timeline, job: BatchJob, now: number): Timeline {
  if (timeline.current === job.status && timeline.stages.length > 0) return timeline;
  const submitted = parseTime(job.submitted_at);
  const started = parseTime(job.started_at);
  const completed = parseTime(job.completed_at);
  const stages = timeline.stages.map((s) => ({ ...s }));
  const target = ORDER[job.status] ?? 0;
  const isTerminal = job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED";

  if (stages.length === 0) {
    stages.push({ status: "QUEUED", ...(submitted !== undefined ? { startedAt: submitted } : {}) });
  }
  // `updated_at` is when the job last changed: the start of its current stage, when it is plausible.
  const floor = Math.max(...stages.map((s) => s.startedAt ?? 0), started ?? 0);
  const updated = parseTime(job.updated_at);
  const changedAt = updated !== undefined && updated >= floor && updated <= now + 1000 ? updated : undefined;
  // When the snapshot's status began, by the API's clock (undefined when it does not say).
  const statusStart =
    isTerminal && completed !== undefined
      ? completed
      : job.status === "IN_PROGRESS" && started !== undefined
        ? started
        : changedAt;
  const lastOrder = ORDER[stages[stages.length - 1]?.status ?? "QUEUED"] ?? 0;
  // Stages passed between polls (or before the watch began). A FAILED job may have failed in
  // any of them: only what is known (started_at) is filled in.
  const passed = STAGES.slice(lastOrder + 1, Math.max(lastOrder + 1, Math.min(target, STAGES.length)));
  const unseen = passed.filter(
    (status) => job.status !== "FAILED" || (status === "IN_PROGRESS" && started !== undefined),
  );
  const last = stages[stages.length - 1];
  if (last && last.endedAt === undefined && last.status !== job.status) {
    const queuedEnd = last.status === "QUEUED" && started !== undefined;
    last.endedAt = queuedEnd ? (started as number) : (statusStart ?? now);
    // Its end is known only when no unseen stage came between it and the snapshot's status.
    if (!queuedEnd && passed.length > 0 && job.status !== "DELETED") last.approximate = true;
  }
  if (job.status === "DELETED") {
    stages.push({ status: "DELETED", startedAt: parseTime(job.deleted_at) ?? now });
    return { stages, current: job.status };
  }
  unseen.forEach((status, i) => {
    const prevEnd = stages[stages.length - 1]?.endedAt;
    const fromStarted = status === "IN_PROGRESS" && started !== undefined;
    const startedAt = fromStarted ? started : prevEnd;
    const endedAt = statusStart ?? now;
    // Exact when both ends are the API's: started_at, and the start of the snapshot's status right after it.
    const exact = fromStarted && i === unseen.length - 1 && statusStart !== undefined;
    stages.push({
      status,
      ...(startedAt !== undefined ? { startedAt } : {}),
      endedAt,
      ...(exact ? {} : { approximate: true }),
    });
  });
  if ((ORDER[stages[stages.length - 1]?.status ?? ""] ?? -1) < target) {
    const prevEnd = stages[stages.length - 1]?.endedAt;
    const startedAt = statusStart ?? prevEnd ?? now;
    const record: StageRecord = { status: job.status, startedAt };
    const firstSnapshot = timeline.stages.length === 0;
    if (firstSnapshot && statusStart === undefined && !isTerminal && job.status !== "QUEUED") record.approximate = true;
    if (isTerminal) record.endedAt = startedAt;
    stages.push(record);
  }
  return { stages, current: job.status };
}

/** The duration of a finished stage in ms, or the running time of the current one at `now`. */
export function stageDuration(stage: StageRecord, now: number): number | undefined {
  if (stage.startedAt === undefined) return undefined;
  return (stage.endedAt ?? now) - stage.startedAt;
}
