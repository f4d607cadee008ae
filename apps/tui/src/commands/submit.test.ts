import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CreateInput, JobsApi, UploadProgress } from "../lib/api.js";
import type { Io } from "../lib/io.js";
import { FakeApi } from "../test-utils/fake-api.js";
import { submitWithProgress } from "./submit.js";

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

  it("plain: a stderr line per 10 % with bytes of the file, speed and time left", async () => {
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
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines[0]).toMatch(/uploading slow\.wav: 0% · 0 B of 6\.0 MiB$/);
    expect(lines.at(-1)).toMatch(/uploading slow\.wav: 100% · 6\.0 MiB of 6\.0 MiB/);
    expect(lines.some((l) => /· 1\.0 MiB\/s · 0:0\d left$/.test(l))).toBe(true);
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
