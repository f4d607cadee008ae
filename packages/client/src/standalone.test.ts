import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createJob,
  createSlngClient,
  createSlngCore,
  deleteJob,
  downloadTranscript,
  getJob,
  getJobFiles,
  listJobs,
  listJobsPage,
  SlngValidationError,
  transcribe,
  waitForJob,
  watchJob,
} from "./node.js";

const KEY = "sk_live_standaloneKEY0123456789";
const BASE = "http://emulator.test";
const dir = mkdtempSync(join(tmpdir(), "slng-standalone-test-"));
const wav = createSampleWav({ seconds: 2 }) as Uint8Array<ArrayBuffer>;
const wavPath = join(dir, "clip.wav");
writeFileSync(wavPath, wav);
const web = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("./index.js");

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function core(extra: Parameters<typeof createSlngCore>[0] = {}) {
  const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
  emulators.push(emu);
  return createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: (r) => emu.fetch(r), ...extra });
}

describe("the standalone functions over createSlngCore", () => {
  it("create (a file path, Node entry), watch, wait, get, files, download, list and delete", async () => {
    const c = core();
    const ack = await createJob(c, { file: wavPath });
    const seen: string[] = [];
    for await (const job of watchJob(c, ack.job_id, { minIntervalMs: 5 })) seen.push(job.status);
    expect(seen.at(-1)).toBe("DONE");
    expect((await waitForJob(c, ack.job_id, { minIntervalMs: 5 })).status).toBe("DONE");
    expect((await getJob(c, ack.job_id)).job_id).toBe(ack.job_id);
    expect((await getJobFiles(c, ack.job_id)).outputs.map((o) => o.format).sort()).toEqual(["json", "srt", "txt"]);
    expect(typeof (await downloadTranscript(c, ack.job_id, "txt"))).toBe("string");
    expect((await downloadTranscript(c, ack.job_id, "json")).results.length).toBeGreaterThan(0);
    expect((await listJobsPage(c, { pageSize: 1 })).items).toHaveLength(1);
    const ids: string[] = [];
    for await (const job of listJobs(c, { pageSize: 1 })) ids.push(job.job_id);
    expect(ids).toEqual([ack.job_id]);
    expect((await deleteJob(c, ack.job_id)).status).toBe("DELETED");
  });

  it("transcribe takes a core; the client object's methods work on the same emulator", async () => {
    const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
    emulators.push(emu);
    const options = { apiKey: KEY, baseUrl: BASE, fetch: (q: Request) => emu.fetch(q) };
    const c = createSlngCore(options);
    const r = await transcribe(c, { file: wav, filename: "clip.wav" }, { minIntervalMs: 5, format: "srt" });
    expect(r.job.status).toBe("DONE");
    expect(r.transcript).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
    const slng = createSlngClient(options);
    expect(await slng.jobs.download(r.job.job_id, "srt")).toBe(r.transcript);
    expect(await downloadTranscript(c, r.job.job_id, "srt")).toBe(await slng.jobs.download(r.job.job_id, "srt"));
  });

  it("checks the key and baseUrl in createSlngCore, before any request", () => {
    expect(() => createSlngCore({ apiKey: " ", baseUrl: BASE })).toThrow(SlngValidationError);
    expect(() => createSlngCore({ apiKey: KEY, baseUrl: "http://api.example.com" })).toThrow(/plain http/);
  });

  it("bad input rejects (not throws) before any request", async () => {
    let calls = 0;
    const c = createSlngCore({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async () => {
        calls++;
        return new Response();
      },
    });
    await expect(getJob(c, "not/an id")).rejects.toThrow(SlngValidationError);
    await expect(listJobsPage(c, { pageSize: 0 })).rejects.toThrow(/pageSize/);
    expect(() => listJobs(c, { page: 0 })).toThrow(/page must be/);
    expect(calls).toBe(0);
  });

  it("a core carries its platform: the browser build's core refuses a file path, the Node one reads it", async () => {
    const sent: Request[] = [];
    const fetch = async (r: Request) => {
      sent.push(r);
      return new Response("{}", { status: 500 });
    };
    const browser = web.createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch });
    await expect(web.createJob(browser, { file: wavPath })).rejects.toThrow(/in a browser pass a File or Blob/);
    expect(sent).toHaveLength(0);
    const c = core();
    expect((await web.createJob(c, { file: wavPath })).job_id).toMatch(/^[a-z0-9]{24}$/);
  });
});
