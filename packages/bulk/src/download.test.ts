import { getEventListeners } from "node:events";
import { join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { saveOutputs } from "./download.js";
import { BASE, harnessPerTest, KEY } from "./test-support.js";

const start = harnessPerTest();

describe("saveOutputs under the run's long-lived signal", () => {
  it("leaves no listener on it once each save has ended (thousands of saves share it)", async () => {
    const h = await start();
    const client = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: h.fetch });
    const job = await client.jobs.create({
      file: new Blob([createSampleWav({ seconds: 0.5 }) as Uint8Array<ArrayBuffer>]),
      filename: "a.wav",
    });
    await client.jobs.wait(job.job_id);
    const run = new AbortController();
    for (let i = 0; i < 5; i++) {
      const saved = await saveOutputs(client, {
        jobId: job.job_id,
        formats: ["json", "txt", "srt"],
        saved: [],
        pathOf: (f) => join(h.dir, `out${i}`, `a.${f}`),
        fetch: h.fetch,
        signal: run.signal,
        onRequest: () => {},
        onSaved: () => {},
      });
      expect(saved).toEqual(["json", "txt", "srt"]);
    }
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });
});
