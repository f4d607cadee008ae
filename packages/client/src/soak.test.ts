import { createEmulator, createSampleWav, FAULT_KINDS } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { createSlngClient, type SlngClient, SlngError } from "./node.js";

const KEY = "soakTestKey";
const wav = createSampleWav({ seconds: 1 });

/** Seeded PRNG (mulberry32), so a run's storage faults are reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the caller learned of each job: ids acknowledged, ids named by errors, outcomes. */
interface Outcome {
  told: Set<string>;
  done: number;
  failed: string[];
}

async function drive(slng: SlngClient, jobs: number, concurrency: number): Promise<Outcome> {
  const out: Outcome = { told: new Set(), done: 0, failed: [] };
  let next = 0;
  const one = async (i: number) => {
    const input = {
      file: wav,
      filename: `soak${i}.wav`,
      upload: i % 2 ? ("presign" as const) : ("multipart" as const),
      tracking: { reference: `soak-${i}` },
    };
    const wait = { minIntervalMs: 20, maxIntervalMs: 200 };
    if (i % 3 === 0) {
      const r = await slng.transcribe(input, wait);
      out.told.add(r.job.job_id);
      return;
    }
    const { job_id } = await slng.jobs.create(input);
    out.told.add(job_id);
    await slng.jobs.wait(job_id, wait);
    await slng.jobs.download(job_id, "txt");
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < jobs; i = next++)
        await one(i).then(
          () => out.done++,
          (e: unknown) => {
            if (e instanceof SlngError && e.jobId) out.told.add(e.jobId);
            out.failed.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
          },
        );
    }),
  );
  return out;
}

describe("soak: 40 % faults including lost answers, over HTTP", () => {
  it("60 jobs, 8 at a time, multipart and presign: no duplicate, none untold, no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    const emu = createEmulator({
      apiKeys: [KEY],
      rtf: 0.01,
      minStageMs: 0,
      faults: { rate: 0.4, seed: 42, kinds: [...FAULT_KINDS], latencyMs: 30, retryAfterSeconds: 0 },
    });
    try {
      const { url } = await emu.listen();
      const random = prng(7);
      const storageFaults = ["lost", "drop", "500", "503"];
      const slng = createSlngClient({
        apiKey: KEY,
        baseUrl: url,
        maxRetries: 6,
        fetch: (r) => {
          if (new URL(r.url).pathname.startsWith("/storage/") && random() < 0.4)
            r.headers.set("x-slng-emulator-fault", storageFaults[Math.floor(random() * 4)] as string);
          return fetch(r);
        },
      });
      const out = await drive(slng, 60, 8);
      const clean = createSlngClient({
        apiKey: KEY,
        baseUrl: url,
        fetch: (r) => {
          r.headers.set("x-slng-emulator-fault", "latency:0");
          return fetch(r);
        },
      });
      const listed = [];
      for await (const job of clean.jobs.list({ pageSize: 100 })) listed.push(job);
      const refs = new Map<string, number>();
      for (const { job_id } of listed) {
        const ref = (await clean.jobs.get(job_id)).job_config?.tracking?.reference ?? "";
        refs.set(ref, (refs.get(ref) ?? 0) + 1);
      }
      const duplicates = [...refs.values()].filter((n) => n > 1).length;
      const untold = listed.filter((j) => !out.told.has(j.job_id)).map((j) => j.job_id);
      expect(duplicates).toBe(0);
      expect(untold).toEqual([]);
      expect(out.done + out.failed.length).toBe(60);
      expect(out.done, out.failed.join("\n")).toBeGreaterThanOrEqual(55);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await emu.close();
    }
  }, 120_000);
});
