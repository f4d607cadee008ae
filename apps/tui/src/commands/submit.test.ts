import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { CreateInput, JobsApi, UploadProgress } from "../lib/api.js";
import { UsageError } from "../lib/args.js";
import type { Io } from "../lib/io.js";
import { apiError, FakeApi } from "../test-utils/fake-api.js";
import { buildCreateInput, interruptedMessage, preflight, SubmitInterrupted, submitWithProgress } from "./submit.js";

const MB = 1024 * 1024;

function captureIo(json: boolean): { io: Io; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io = {
    stdout: {
      write: (t: string) => {
        out += t;
        return true;
      },
    },
    stderr: {
      write: (t: string) => {
        err += t;
        return true;
      },
    },
    stdin: {},
    env: {},
    interactive: false,
    json,
    color: false,
  } as unknown as Io;
  return { io, out: () => out, err: () => err };
}

/** A create that sends `size` bytes of a file at 1 MiB per simulated second, as the adapter reports it. */
class SlowUploadApi extends FakeApi {
  inputs: CreateInput[] = [];
  override async create(input?: CreateInput) {
    if (!input) throw new Error("no input");
    this.inputs.push(input);
    const size = (input.file as Uint8Array).byteLength;
    const report = (p: UploadProgress) => input.onUploadProgress?.(p);
    for (let sent = 0; sent < size; ) {
      await new Promise((r) => setTimeout(r, 250));
      if (input.signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      sent = Math.min(size, sent + MB / 4);
      report({ loaded: sent, total: size, phase: "upload" });
    }
    report({ loaded: size, total: size, phase: "create" });
    await new Promise((r) => setTimeout(r, 100));
    return { job_id: "slow123", status: "QUEUED" };
  }
}

describe("submitWithProgress without a terminal", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("--json: an upload_progress event every second with the file's bytes, %, speed and time left", async () => {
    const { io, out } = captureIo(true);
    const api = new SlowUploadApi();
    const file = new Uint8Array(6 * MB);
    const pending = submitWithProgress(
      io,
      api as JobsApi,
      { file, filename: "slow.wav" },
      "slow.wav",
      new AbortController().signal,
    );
    await vi.advanceTimersByTimeAsync(8000);
    await expect(pending).resolves.toEqual({ job_id: "slow123", status: "QUEUED" });
    const events = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const progress = events.filter((e) => e.type === "upload_progress");
    for (const e of progress) expect(e.total).toBe(6 * MB);
    const uploading = progress.filter((e) => e.phase === "upload");
    // 6 s of upload: one event at the start and one per second after it.
    expect(uploading.length).toBeGreaterThanOrEqual(6);
    const loaded = uploading.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(new Set(loaded).size).toBeGreaterThanOrEqual(5);
    const mid = uploading.find((e) => e.percent >= 40 && e.percent <= 60);
    expect(mid?.percent).toBe(Math.floor((mid.loaded / (6 * MB)) * 100));
    // Sent in steps of 256 KiB every 250 ms: the 3 s window sees 0.85–1.15 MiB/s.
    expect(Math.abs(mid.bytes_per_second / MB - 1)).toBeLessThan(0.15);
    expect(Math.abs(mid.seconds_left - (6 * MB - mid.loaded) / mid.bytes_per_second)).toBeLessThan(0.1);
    expect(progress.at(-1)).toMatchObject({ phase: "create", loaded: 6 * MB, percent: 100 });
    expect(events.at(-1)).toMatchObject({ type: "submitted", job_id: "slow123" });
  });

  it("plain: a stderr line per 10 % (at most one a second) with bytes of the file, speed and time left", async () => {
    const { io, out, err } = captureIo(false);
    const pending = submitWithProgress(
      io,
      new SlowUploadApi() as JobsApi,
      { file: new Uint8Array(6 * MB), filename: "slow.wav" },
      "slow.wav",
      new AbortController().signal,
    );
    await vi.advanceTimersByTimeAsync(8000);
    await pending;
    expect(out()).toBe("");
    const lines = err().trim().split("\n");
    // 6 s at 1 MiB/s: another 10 % every 0.6 s, printed at most once a second, and 100 %.
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines[0]).toMatch(/uploading slow\.wav: 0% · 0 B of 6\.0 MiB$/);
    expect(lines.at(-1)).toMatch(/uploading slow\.wav: 100% · 6\.0 MiB of 6\.0 MiB/);
    expect(lines.some((l) => /· 1\.0 MiB\/s · 0:0\d left$/.test(l))).toBe(true);
  });

  it("plain: a fast upload prints 0 % and 100 %, not a line per 10 %", async () => {
    const { io, err } = captureIo(false);
    const api = new FakeApi();
    api.create = async (input?: CreateInput) => {
      for (let sent = MB / 4; sent <= 6 * MB; sent += MB / 4)
        input?.onUploadProgress?.({ loaded: sent, total: 6 * MB, phase: "upload" });
      input?.onUploadProgress?.({ loaded: 6 * MB, total: 6 * MB, phase: "create" });
      return { job_id: "fast1", status: "QUEUED" };
    };
    const pending = submitWithProgress(
      io,
      api,
      { file: new Uint8Array(6 * MB) },
      "fast.wav",
      new AbortController().signal,
    );
    await vi.advanceTimersByTimeAsync(10);
    await pending;
    expect(
      err()
        .trim()
        .split("\n")
        .map((l) => /: (\d+)%/.exec(l)?.[1]),
    ).toEqual(["0", "100"]);
  });

  it("an abort during the upload: SubmitInterrupted in the upload step, no job", async () => {
    const { io } = captureIo(true);
    const abort = new AbortController();
    const pending = submitWithProgress(
      io,
      new SlowUploadApi() as JobsApi,
      { file: new Uint8Array(6 * MB) },
      "slow.wav",
      abort.signal,
    );
    const caught = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2000);
    abort.abort();
    await vi.advanceTimersByTimeAsync(300);
    const error = await caught;
    expect(error).toBeInstanceOf(SubmitInterrupted);
    expect((error as SubmitInterrupted).phase).toBe("upload");
    expect(interruptedMessage(error)).toBe("interrupted: the upload was cancelled, no job was created.");
    expect(interruptedMessage(new SubmitInterrupted("create"))).toMatch(/it may exist — check with slng-batch jobs/);
  });

  it("an abort once the file is sent (creating the job): the message names the job id it was created with", async () => {
    const { io } = captureIo(false);
    const api = new (class extends SlowUploadApi {
      override async create(input?: CreateInput) {
        this.inputs.push(input as CreateInput);
        input?.onUploadProgress?.({ loaded: 10, total: 10, phase: "create" });
        await new Promise((_, reject) =>
          input?.signal?.addEventListener("abort", () =>
            reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
          ),
        );
        return { job_id: "never", status: "QUEUED" };
      }
    })();
    const abort = new AbortController();
    const caught = submitWithProgress(io, api as JobsApi, { file: new Uint8Array(10) }, "a.wav", abort.signal).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(10);
    abort.abort();
    const error = await caught;
    const sentId = api.inputs[0]?.jobId as string;
    expect(sentId).toMatch(/^[a-z0-9]{24}$/);
    expect(error).toMatchObject({ phase: "create", jobId: sentId });
    expect(interruptedMessage(error)).toBe(
      `interrupted while job ${sentId} was being created: it may exist — check with slng-batch watch ${sentId}.`,
    );
  });

  it("--json for a URL: no upload, one create event", async () => {
    const { io, out } = captureIo(true);
    const pending = submitWithProgress(
      io,
      new FakeApi() as JobsApi,
      { url: "https://example.com/a.wav" },
      "a.wav",
      new AbortController().signal,
    );
    await vi.advanceTimersByTimeAsync(10);
    await pending;
    const progress = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === "upload_progress");
    expect(progress).toEqual([expect.objectContaining({ phase: "create", loaded: 0, total: 0 })]);
  });
});

describe("submit checks before sending", () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slng-submit-args-"));
    path = join(dir, "a.wav");
    await writeFile(path, new Uint8Array(64));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["", "xx-JUNK!!", "e", "english language", "en-"])("refuses --language %j", async (language) => {
    await expect(buildCreateInput(path, { language })).rejects.toThrow(/--language must be a language code/);
  });

  it.each(["en", "de", "en-US", "cmn", "cmn_en", "auto"])("accepts --language %j", async (language) => {
    const { input } = await buildCreateInput(path, { language });
    expect(input.config).toMatchObject({ language });
  });

  it.each(["", "no spaces please", "slng/speechmatics/batch:15.0.0;rm", "/leading"])(
    "refuses --model %j",
    async (model) => {
      await expect(buildCreateInput(path, { model })).rejects.toThrow(/--model must be a model code/);
    },
  );

  it("accepts the default model", async () => {
    const { input } = await buildCreateInput(path, { model: "slng/speechmatics/batch:15.0.0" });
    expect(input.modelCode).toBe("slng/speechmatics/batch:15.0.0");
  });

  it("a free job id: one GET of it (404), then the upload", async () => {
    const api = new FakeApi();
    const calls: string[] = [];
    api.get = async (id: string) => {
      calls.push(`get ${id}`);
      throw apiError(404, "Job not found");
    };
    await expect(preflight(api, { file: path, jobId: "mine1" }, new AbortController().signal)).resolves.toBe(undefined);
    expect(calls).toEqual(["get mine1"]);
  });

  it("a taken job id is refused before any upload", async () => {
    const api = new FakeApi();
    let created = 0;
    api.create = async () => {
      created++;
      return { job_id: "x", status: "QUEUED" };
    };
    await expect(preflight(api, { file: path, jobId: "job123" }, new AbortController().signal)).rejects.toThrow(
      /job id "job123" is already taken \(that job is QUEUED\)/,
    );
    const { io } = captureIo(true);
    await expect(
      submitWithProgress(io, api, { file: path, jobId: "job123" }, "a.wav", new AbortController().signal),
    ).rejects.toBeInstanceOf(UsageError);
    expect(created).toBe(0);
  });

  it("a wrong key fails the check, and nothing is uploaded", async () => {
    const api = new FakeApi();
    let created = 0;
    api.listPage = async () => {
      throw apiError(403, "API key id not found");
    };
    api.create = async () => {
      created++;
      return { job_id: "x", status: "QUEUED" };
    };
    const { io } = captureIo(true);
    await expect(
      submitWithProgress(io, api, { file: path }, "a.wav", new AbortController().signal),
    ).rejects.toMatchObject({ status: 403 });
    expect(created).toBe(0);
  });

  it("a URL input is not checked first (its create is as cheap)", async () => {
    const api = new FakeApi();
    api.listPage = async () => {
      throw new Error("no check expected");
    };
    await expect(preflight(api, { url: "https://example.com/a.wav" }, new AbortController().signal)).resolves.toBe(
      undefined,
    );
  });
});
