import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createSlngClient, type SlngClient } from "./node.js";

const KEY = "faultTestKey";
const wav = createSampleWav({ seconds: 0.5 });
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function runJobs(slng: SlngClient, count: number, concurrency: number) {
  const acked: string[] = [];
  const texts: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const ack = await slng.jobs.create({
        file: wav,
        filename: `job${i}.wav`,
        upload: i % 4 === 0 ? "presign" : "auto",
      });
      acked.push(ack.job_id);
      const job = await slng.jobs.wait(ack.job_id, { minIntervalMs: 20, maxIntervalMs: 200 });
      expect(job.status).toBe("DONE");
      texts.push(await slng.jobs.download(ack.job_id, "txt"));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { acked, texts };
}

async function allJobIds(slng: SlngClient) {
  const ids: string[] = [];
  for await (const job of slng.jobs.list({ pageSize: 100 })) ids.push(job.job_id);
  return ids;
}

describe("with 20% injected faults (500, 503, 429, drop, latency)", () => {
  it("100 jobs are created and waited to DONE, with zero duplicates and no unhandled rejection (in-process)", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const emu = createEmulator({
        apiKeys: [KEY],
        rtf: 0.01,
        minStageMs: 0,
        faults: { rate: 0.2, seed: 7, latencyMs: 50, retryAfterSeconds: 1 },
      });
      open.push(emu);
      const injected: string[] = [];
      const slng = createSlngClient({
        apiKey: KEY,
        baseUrl: "http://emulator.test",
        maxRetries: 8,
        fetch: async (r) => {
          const res = await emu.fetch(r).catch((e) => {
            injected.push("drop");
            throw e;
          });
          const kind = res.headers.get("x-slng-emulator-fault-injected");
          if (kind) injected.push(kind);
          return res;
        },
      });
      const { acked, texts } = await runJobs(slng, 100, 25);
      expect(acked).toHaveLength(100);
      expect(new Set(acked).size).toBe(100);
      expect(texts.every((t) => t.length > 0)).toBe(true);
      expect((await slng.jobs.listPage({ pageSize: 1 })).meta.total).toBe(100);
      const listed = await allJobIds(slng);
      expect(listed).toHaveLength(100);
      expect(new Set(listed)).toEqual(new Set(acked));
      expect(injected.length).toBeGreaterThan(50);
      expect(new Set(injected)).toEqual(new Set(["500", "503", "429", "drop", "latency"]));
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  }, 120_000);

  it("20 jobs over HTTP (dropped sockets, node:http uploads) complete without duplicates", async () => {
    const emu = createEmulator({
      apiKeys: [KEY],
      rtf: 0.01,
      minStageMs: 0,
      faults: { rate: 0.2, seed: 11, latencyMs: 50, retryAfterSeconds: 0 },
    });
    open.push(emu);
    const { url } = await emu.listen();
    const slng = createSlngClient({ apiKey: KEY, baseUrl: url, maxRetries: 8 });
    const { acked } = await runJobs(slng, 20, 5);
    expect(new Set(acked).size).toBe(20);
    expect(new Set(await allJobIds(slng))).toEqual(new Set(acked));
  }, 120_000);
});
