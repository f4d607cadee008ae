import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createSampleWav } from "@slng/emulator";
import { describe, expect, it } from "vitest";
import { runBulk } from "./engine.js";
import { JOURNAL_FILE } from "./journal.js";
import { REPORT_FILE } from "./report.js";
import {
  allJobs,
  BASE,
  countCreated,
  creates,
  type Harness,
  harnessPerTest,
  holdJobs,
  KEY,
  runOver,
  writeRecordings,
} from "./test-support.js";

const start = harnessPerTest();

/** Asserts one job per recording and that each saved txt is byte-identical to what the API serves. */
async function expectExactlyOnce(h: Harness, rels: string[]) {
  const { client, jobs } = await allJobs(h);
  expect(jobs).toHaveLength(rels.length);
  const report = JSON.parse(await readFile(join(h.dir, "out", REPORT_FILE), "utf8"));
  const byKey = new Map(report.inputs.map((r: { input: string; job_id: string }) => [r.input, r.job_id]));
  for (const rel of rels) {
    const jobId = byKey.get(rel) as string;
    expect(jobs.map((j) => j.job_id)).toContain(jobId);
    const files = await client.jobs.files(jobId);
    const url = files.outputs.find((o) => o.format === "txt")?.download_url as string;
    const served = await (await h.emu.fetch(new Request(url))).text();
    expect(await readFile(join(h.dir, "out", rel.replace(/\.wav$/, ".txt")), "utf8")).toBe(served);
  }
}

describe("runBulk against the emulator", () => {
  it("transcribes a nested folder once, mirrors the tree, and a rerun creates nothing", async () => {
    const h = await start();
    const rels = await writeRecordings(join(h.dir, "in"), 12);
    await writeFile(join(h.dir, "in", "notes.md"), "not audio");
    const { summary, events } = await runOver(h, [join(h.dir, "in")]);
    expect(summary.counts.done).toBe(12);
    expect(summary.failed).toEqual([]);
    expect(events.find((e) => e.type === "plan")).toMatchObject({
      total: 12,
      skippedFiles: [expect.stringMatching(/notes\.md$/)],
    });
    expect(creates(h)).toBe(12);
    await expectExactlyOnce(h, rels);
    h.seen.length = 0;
    const again = await runOver(h, [join(h.dir, "in")]);
    expect(again.summary.counts.done).toBe(12);
    expect(h.seen).toEqual([]);
  });

  it("polls with the list endpoint, not one GET per job (GETs only for the server clock or a job alone in flight)", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 20);
    // Every job reads as IN_PROGRESS until all 20 are created; then each reads as the emulator
    // has it. However the creates are spread out in time, a job can be alone in flight only at
    // the start (the first one, whose GET also learns the server clock) and at the end (the
    // last one created, if a poll saw the other 19 DONE before it finished).
    const created = { n: 0 };
    holdJobs(h, () => created.n < 20, countCreated(created));
    const { summary } = await runOver(h, [join(h.dir, "in")], { concurrency: 8 });
    expect(summary.counts.done).toBe(20);
    const gets = h.seen.filter((s) => s.method === "GET" && /^\/v1\/batch\/jobs\/[^/]+$/.test(s.path));
    expect(new Set(gets.map((g) => g.path)).size).toBeLessThanOrEqual(2);
    expect(h.seen.some((s) => s.method === "GET" && s.path === "/v1/batch/jobs")).toBe(true);
  });

  it("emits no MaxListeners warning with many requests sharing the run's signal (it would garble the view)", async () => {
    const h = await start({ minStageMs: 20 });
    await writeRecordings(join(h.dir, "in"), 30);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      await runOver(h, [join(h.dir, "in")], { concurrency: 16, formats: ["txt", "srt", "json"] });
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("never has more than --concurrency creates in flight", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 16);
    let active = 0;
    let peak = 0;
    h.intercept = async (req) => {
      if (req.method !== "POST") return undefined;
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      const res = await h.emu.fetch(req);
      active--;
      return res;
    };
    const { summary } = await runOver(h, [join(h.dir, "in")], { concurrency: 3 });
    expect(summary.counts.done).toBe(16);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it("after dying between a create and its answer, the rerun adopts the job instead of making a second", async () => {
    const h = await start();
    const rels = await writeRecordings(join(h.dir, "in"), 6);
    const stop = new AbortController();
    let landed = 0;
    h.after = (seen, res) => {
      if (seen.method === "POST" && res.status === 202 && ++landed === 3) {
        stop.abort();
        throw new TypeError("fetch failed");
      }
      return res;
    };
    const first = await runOver(h, [join(h.dir, "in")], { signal: stop.signal, concurrency: 1 });
    expect(first.summary.detached).toBe(true);
    h.after = undefined;
    const second = await runOver(h, [join(h.dir, "in")]);
    expect(second.summary.counts.done).toBe(6);
    expect(second.events.some((e) => e.type === "input" && e.reason === "adopted")).toBe(true);
    await expectExactlyOnce(h, rels);
  });

  it("even if the journal lost every record but its salt, the server's 'already in use' prevents a second job", async () => {
    const h = await start();
    const rels = await writeRecordings(join(h.dir, "in"), 5);
    await runOver(h, [join(h.dir, "in")]);
    const journal = join(h.dir, "out", JOURNAL_FILE);
    const saltLine = (await readFile(journal, "utf8")).split("\n")[0];
    await writeFile(journal, `${saltLine}\n`);
    await rm(join(h.dir, "out", "set0"), { recursive: true });
    const again = await runOver(h, [join(h.dir, "in")], { overwrite: true });
    expect(again.summary.counts.done).toBe(5);
    expect(again.events.filter((e) => e.type === "input" && e.reason === "adopted")).toHaveLength(5);
    await expectExactlyOnce(h, rels);
  });

  it("rides out 30% injected faults (500, 503, 429, drop, lost answers) with exactly one job per recording", async () => {
    const h = await start({
      faults: { rate: 0.3, seed: 11, kinds: ["500", "503", "429", "drop", "lost"], retryAfterSeconds: 0 },
    });
    const rels = await writeRecordings(join(h.dir, "in"), 15);
    const { summary } = await runOver(h, [join(h.dir, "in")], { concurrency: 4 });
    expect(summary.failed).toEqual([]);
    expect(summary.counts.done).toBe(15);
    await expectExactlyOnce(h, rels);
  });

  it("creates whose answers are lost (the emulator's 'lost' fault) and whose look-ups fail are adopted on the next attempt, not duplicated", async () => {
    const h = await start();
    const rels = await writeRecordings(join(h.dir, "in"), 6);
    h.emu.forceFault("lost", { count: 3, match: /^\/v1\/batch\/jobs$/ });
    h.emu.forceFault("drop", { count: 3, match: /^\/v1\/batch\/jobs\/\w+$/ });
    const { summary, events } = await runOver(h, [join(h.dir, "in")], {
      client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch, maxRetries: 0 },
    });
    expect(summary.counts.done).toBe(6);
    expect(events.filter((e) => e.type === "input" && e.reason === "adopted").length).toBeGreaterThan(0);
    await expectExactlyOnce(h, rels);
  });

  it("on 429 it lowers its concurrency, waits the Retry-After, and still makes one job per recording", async () => {
    const h = await start({ faults: { rate: 0, retryAfterSeconds: 1 } });
    const rels = await writeRecordings(join(h.dir, "in"), 8);
    h.emu.forceFault("429", { count: 3, match: /^\/v1\/batch\/jobs$/ });
    const { events, summary } = await runOver(h, [join(h.dir, "in")], { concurrency: 4 });
    expect(summary.counts.done).toBe(8);
    const limited = events.filter((e) => e.type === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ retryAfterMs: 1000 });
    expect(events).toContainEqual({ type: "concurrency", concurrency: 2 });
    await expectExactlyOnce(h, rels);
  });

  it("an undecodable file fails with its message, the others are saved", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 4);
    await writeFile(join(h.dir, "in", "broken.wav"), Buffer.from("RIFF....WAVEnot really audio at all"));
    const { summary } = await runOver(h, [join(h.dir, "in")]);
    expect(summary.counts.done).toBe(4);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]?.key).toBe("broken.wav");
    expect(summary.failed[0]?.error).toMatch(/\w/);
  });

  it("a changed file is new work; --retry-failed resubmits a failed one under a new id", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    const broken = join(h.dir, "in", "broken.wav");
    await writeFile(broken, Buffer.from("RIFF....WAVEnot really audio at all"));
    const first = await runOver(h, [join(h.dir, "in")]);
    expect(first.summary.counts.failed).toBe(1);
    h.seen.length = 0;
    const kept = await runOver(h, [join(h.dir, "in")]);
    expect(kept.summary.counts.failed).toBe(1);
    expect(creates(h)).toBe(0);
    const retried = await runOver(h, [join(h.dir, "in")], { retryFailed: true });
    expect(creates(h)).toBe(1);
    expect(retried.summary.failed[0]?.jobId).not.toBe(first.summary.failed[0]?.jobId);
    await writeFile(broken, createSampleWav({ seconds: 0.4, seed: 99 }));
    const before = (await stat(broken)).mtimeMs;
    expect(before).toBeGreaterThan(0);
    const fixed = await runOver(h, [join(h.dir, "in")]);
    expect(fixed.summary.counts.done).toBe(3);
    expect(fixed.events.some((e) => e.type === "input" && e.key === "broken.wav" && e.reason === "changed")).toBe(true);
  });

  it("URL inputs: the API fetches them; a rerun sends nothing", async () => {
    const h = await start();
    const wav = createSampleWav({ seconds: 1, seed: 5 });
    const server = createServer((_, res) => res.end(wav));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const inputs = [0, 1].map((i) => ({
        key: `remote/r${i}.wav`,
        url: `http://127.0.0.1:${port}/r${i}.wav?sig=${i}`,
      }));
      const run = () =>
        runBulk({
          inputs,
          outDir: join(h.dir, "out"),
          client: { apiKey: KEY, baseUrl: BASE, fetch: h.fetch },
          pollIntervalMs: { min: 5, max: 20 },
        }).done;
      const first = await run();
      expect(first.counts.done).toBe(2);
      expect(await readFile(join(h.dir, "out", "remote/r1.txt"), "utf8")).not.toBe("");
      h.seen.length = 0;
      expect((await run()).counts.done).toBe(2);
      expect(h.seen).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("--dry-run says what would happen and sends nothing", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 3);
    const { events, summary } = await runOver(h, [join(h.dir, "in")], { dryRun: true });
    expect(h.seen).toEqual([]);
    expect(summary.reportPath).toBeUndefined();
    expect(events.filter((e) => e.type === "input" && e.reason === "would upload")).toHaveLength(3);
    await expect(stat(join(h.dir, "out"))).rejects.toThrow();
  });

  it("saves every requested format, and a rerun asking for one more downloads only that", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2, 3);
    await runOver(h, [join(h.dir, "in")], { formats: ["txt"] });
    h.seen.length = 0;
    const { summary } = await runOver(h, [join(h.dir, "in")], { formats: ["txt", "srt", "json"] });
    expect(summary.counts.done).toBe(2);
    expect(creates(h)).toBe(0);
    const json = await readFile(join(h.dir, "out", "set0/day0/rec000.json"), "utf8");
    expect(JSON.parse(json)).toHaveProperty("results");
    expect(await readFile(join(h.dir, "out", "set1/day1/rec001.srt"), "utf8")).toMatch(/-->/);
  });

  it("ends with a fatal 'unreachable' when nothing gets through for maxOfflineMs", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    h.intercept = () => Promise.reject(new TypeError("fetch failed"));
    const { summary, events } = await runOver(h, [join(h.dir, "in")], {
      client: { apiKey: "bulkTestKey", baseUrl: "http://emulator.test", fetch: h.fetch, maxRetries: 0 },
      maxOfflineMs: 30,
    });
    expect(summary.fatal?.kind).toBe("unreachable");
    expect(summary.fatal?.message).toMatch(/unreachable/);
    expect(events.some((e) => e.type === "fatal")).toBe(true);
    expect(summary.detached).toBe(true);
  });

  it("an output folder that cannot be written ends the run with a fatal 'local' error, not a crash", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 1);
    await writeFile(join(h.dir, "out"), "a file, not a folder");
    const { summary } = await runOver(h, [join(h.dir, "in")]);
    expect(summary.fatal?.kind).toBe("local");
    expect(summary.fatal?.message).toMatch(/cannot keep the journal in .*out.*--out folder you can write/);
    expect(h.seen).toEqual([]);
  });

  it("a journal that stops accepting writes ends the run as 'local', with no unhandled rejection", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 3);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { summary } = await runOver(h, [join(h.dir, "in")], {
        store: {
          load: async () => ({ salt: "s", records: new Map() }),
          append: () => Promise.reject(new Error("ENOSPC: no space left on device")),
          close: async () => {},
        },
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(summary.fatal).toMatchObject({ kind: "local", message: expect.stringMatching(/ENOSPC/) });
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("ends with a fatal auth error on a refused key", async () => {
    const h = await start();
    await writeRecordings(join(h.dir, "in"), 2);
    const { summary } = await runOver(h, [join(h.dir, "in")], {
      client: { apiKey: "wrongKey", baseUrl: "http://emulator.test", fetch: h.fetch },
    });
    expect(summary.fatal?.kind).toBe("auth");
  });
});
