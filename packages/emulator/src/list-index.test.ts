import type { JobStatus } from "@slng/types";
import { JOB_STATUSES } from "@slng/types";
import { describe, expect, it } from "vitest";
import { planSchedule } from "./lifecycle.js";
import { scanList } from "./list-scan.js";
import { mulberry32 } from "./prng.js";
import { type JobRecord, JobStore, jobStatus } from "./store.js";
import type { ListQuery } from "./validation.js";

const T0 = Date.parse("2026-05-01T00:00:00Z");

function makeJob(seq: number, owner: string, submittedAt: number, seconds: number, fails: boolean, model: string) {
  const job: JobRecord = {
    id: `job${seq}`,
    seq,
    owner,
    organisationId: "00000000-0000-4000-8000-000000000000",
    modelCode: model,
    transcriptionConfig: {},
    tracking: undefined,
    outputConfig: undefined,
    metadata: undefined,
    input: {
      key: `inputs/job${seq}.wav`,
      sizeBytes: 1,
      durationSeconds: seconds,
      format: "wav",
      mimeType: "audio/wav",
      source: "upload",
      dataName: "a.wav",
      channels: 1,
    },
    schedule: planSchedule(submittedAt, seconds, 1, 10, fails),
    failMessage: fails ? "failed" : undefined,
    deletedAt: undefined,
    filesPurged: false,
  };
  return job;
}

function randomQuery(rand: () => number, now: number): ListQuery {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const statuses =
    rand() < 0.4 ? undefined : JOB_STATUSES.filter(() => rand() < 0.4).concat(pick(JOB_STATUSES) as JobStatus);
  const around = () => T0 + Math.floor(rand() * (now - T0 + 2000)) - 1000;
  return {
    page: 1 + Math.floor(rand() * 4),
    pageSize: pick([1, 3, 7, 20]),
    statuses: statuses ? [...new Set(statuses)] : undefined,
    modelCode: rand() < 0.2 ? pick(["m1", "m2", "m3"]) : undefined,
    submittedAfter: rand() < 0.3 ? around() : undefined,
    submittedBefore: rand() < 0.3 ? around() : undefined,
    sortBy: pick(["submitted_at", "submitted_at", "status", "model_code"] as const),
    sortOrder: pick(["asc", "desc"] as const),
  };
}

describe("the job list index", () => {
  it("answers exactly as a full scan: random jobs, clock moves (also backwards), deletes and queries", () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = mulberry32(seed);
      const store = new JobStore();
      const twoModels = seed % 2 === 0;
      let now = T0;
      let seq = 0;
      for (let step = 0; step < 400; step++) {
        const r = rand();
        if (r < 0.5) {
          const owner = rand() < 0.8 ? "keyA" : "keyB";
          const model = twoModels && rand() < 0.3 ? "m2" : "m1";
          store.add(makeJob(++seq, owner, now, Math.floor(rand() * 4), rand() < 0.2, model));
        } else if (r < 0.8) now += Math.floor(rand() * 400);
        else if (r < 0.83) now -= Math.floor(rand() * 300);
        else if (r < 0.93) {
          const job = store.jobs.get(`job${1 + Math.floor(rand() * Math.max(1, seq))}`);
          const status = job && jobStatus(job, now);
          if (job && (status === "DONE" || status === "FAILED")) store.markDeleted(job, now);
        }
        for (let k = 0; k < 3; k++) {
          const q = randomQuery(rand, now);
          const owner = rand() < 0.8 ? "keyA" : "keyB";
          const ownJobs = [...store.jobs.values()].filter((j) => j.owner === owner);
          const want = scanList(ownJobs, q, now);
          const got = store.list(owner, q, now, undefined);
          const where = `seed ${seed} step ${step} ${JSON.stringify(q)}`;
          expect(got.total, where).toBe(want.total);
          expect(
            got.items.map((j) => j.job_id),
            where,
          ).toEqual(want.jobs.map((j) => j.id));
        }
      }
    }
  });

  it("serves a page, a status filter and a submitted_after window without reading the key's other jobs", () => {
    const store = new JobStore();
    let reads = 0;
    const counted = (job: JobRecord) =>
      new Proxy(job, {
        get(target, prop, receiver) {
          if (prop === "schedule" || prop === "deletedAt") reads++;
          return Reflect.get(target, prop, receiver);
        },
      });
    const n = 20_000;
    for (let i = 0; i < n; i++) store.add(counted(makeJob(i + 1, "keyA", T0 + i * 1000, 1, i % 10 === 0, "m1")));
    const now = T0 + n * 1000 + 60_000;
    const base: ListQuery = {
      page: 1,
      pageSize: 20,
      statuses: undefined,
      modelCode: undefined,
      submittedAfter: undefined,
      submittedBefore: undefined,
      sortBy: "submitted_at",
      sortOrder: "desc",
    };
    store.list("keyA", base, now, undefined);
    for (const q of [
      { ...base, page: 400 },
      { ...base, statuses: ["DONE"] as JobStatus[], page: 50 },
      { ...base, statuses: ["DONE", "FAILED"] as JobStatus[], page: 300, sortOrder: "asc" as const },
      { ...base, submittedAfter: T0 + (n - 500) * 1000, statuses: ["FAILED"] as JobStatus[] },
      { ...base, sortBy: "status" as const, page: 700 },
    ]) {
      reads = 0;
      const page = store.list("keyA", q, now, undefined);
      expect(page.items.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(reads, JSON.stringify(q)).toBeLessThan(3_000);
    }
  });
});
