import type { BulkSummary } from "@slng/bulk";
import { describe, expect, it } from "vitest";
import { bulkExitCode } from "../commands/bulk.js";
import { parseCommandLine, UsageError } from "./args.js";
import { BulkJsonLines, bulkLine, summaryText } from "./bulk-lines.js";
import { parseBulkRequest } from "./bulk-options.js";

const T = Date.parse("2026-12-02T10:00:00Z");
const parse = (argv: string[]) => {
  const p = parseCommandLine(["bulk", ...argv]);
  if (p.command !== "bulk") throw new Error("not bulk");
  return parseBulkRequest(p.values, p.positionals);
};
const summary = (over: Partial<BulkSummary> = {}): BulkSummary => ({
  total: 2,
  counts: { pending: 0, uploading: 0, queued: 0, processing: 0, downloading: 0, done: 2, failed: 0 },
  failed: [],
  audioSecondsDone: 10,
  detached: false,
  requests: 7,
  elapsedMs: 1500,
  ...over,
});

describe("bulk arguments", () => {
  it("takes several files and folders, formats, concurrency and submit's options", () => {
    const r = parse(["a", "b.wav", "c", "--out", "t", "-f", "txt,SRT", "--concurrency", "8", "--language", "de"]);
    expect(r).toMatchObject({
      sources: ["a", "b.wav", "c"],
      outDir: "t",
      formats: ["txt", "srt"],
      concurrency: 8,
      retryFailed: false,
      dryRun: false,
      overwrite: false,
      followSymlinks: false,
      anyExtension: false,
      run: { config: { language: "de" } },
    });
    expect(parse(["a", "--out", "t", "--overwrite", "--follow-symlinks", "--any-extension"])).toMatchObject({
      overwrite: true,
      followSymlinks: true,
      anyExtension: true,
    });
    const m = parse(["--manifest", "list.csv", "--out", "t", "--tag", "x", "--tag", "y", "--diarization", "speaker"]);
    expect(m.manifest).toBe("list.csv");
    expect(m.run).toMatchObject({ tracking: { tags: ["x", "y"] }, config: { diarization: "speaker" } });
  });

  it("--store/SLNG_BULK_STORE and --run make a shared run; one without the other, or another URL scheme, is refused", () => {
    const p = parseCommandLine(["bulk", "a", "--out", "t", "--run", "nightly-1"]);
    if (p.command !== "bulk") throw new Error("not bulk");
    const fromEnv = parseBulkRequest(p.values, p.positionals, { SLNG_BULK_STORE: "postgres://u:p@db/x" });
    expect(fromEnv.shared).toEqual({ store: "postgres://u:p@db/x", run: "nightly-1" });
    expect(parse(["a", "--out", "t", "--store", "postgresql://db/x", "--run", "r"]).shared?.store).toBe(
      "postgresql://db/x",
    );
    expect(parse(["a", "--out", "t"]).shared).toBeUndefined();
    expect(() => parse(["a", "--out", "t", "--run", "r"])).toThrow(/--run needs --store/);
    expect(() => parse(["a", "--out", "t", "--store", "postgres://db/x"])).toThrow(/--store needs --run/);
    expect(() => parse(["a", "--out", "t", "--store", "mysql://db/x", "--run", "r"])).toThrow(/postgres:\/\/ URL/);
    expect(() => parse(["a", "--out", "t", "--store", "postgres://db/x", "--run", "no spaces"])).toThrow(
      /--run must be/,
    );
    expect(() => parse(["a", "--out", "t", "--store", "postgres://db/x", "--run", "r", "--dry-run"])).toThrow(
      /--dry-run/,
    );
    expect(parse(["a", "--out", "t", "--store", "postgres://db/x", "--run", "r", "--retry-failed"])).toMatchObject({
      retryFailed: true,
      shared: { store: "postgres://db/x", run: "r" },
    });
  });

  it("refuses what cannot work, before anything is read or sent", () => {
    expect(() => parse(["--out", "t"])).toThrow(/at least one file or folder, or --manifest/);
    expect(() => parse(["a"])).toThrow(/--out <dir> is required/);
    expect(() => parse(["a", "--out", "t", "--format", "docx"])).toThrow(/--format takes txt, srt and json/);
    expect(() => parse(["a", "--out", "t", "--concurrency", "0"])).toThrow(UsageError);
    expect(() => parse(["a", "--out", "t", "--concurrency", "100"])).toThrow(/at most 64/);
    expect(() => parse(["a", "--out", "t", "--language", "xx-JUNK!!"])).toThrow(/language code/);
    expect(() => parse(["a", "--out", "t", "--metadata", "[1]"])).toThrow(/JSON object/);
  });
});

describe("bulk output", () => {
  it("writes one timestamped line per state change, with the job and the error", () => {
    expect(bulkLine({ type: "input", key: "a/b.wav", previous: "uploading", state: "queued", jobId: "bk1" }, T)).toBe(
      "2026-12-02T10:00:00Z  a/b.wav  uploading → queued  job bk1",
    );
    expect(
      bulkLine(
        { type: "input", key: "x.wav", previous: "queued", state: "failed", jobId: "bk2", error: "bad audio" },
        T,
      ),
    ).toBe("2026-12-02T10:00:00Z  x.wav  queued → failed  job bk2: bad audio");
    expect(bulkLine({ type: "upload_progress", key: "a", loaded: 1, total: 2 }, T)).toBeUndefined();
    expect(bulkLine({ type: "plan", total: 3, skippedFiles: ["n.txt"], alreadyDone: 1, resumed: 1 }, T)).toBe(
      "2026-12-02T10:00:00Z  plan: 3 inputs, 1 already saved, 1 resumed, skipped 1 non-audio file: n.txt",
    );
  });

  it("--json: one event per line, upload progress once per quarter per input", () => {
    const j = new BulkJsonLines();
    const lines = [0, 10, 30, 60, 99, 100].map((loaded) =>
      j.line({ type: "upload_progress", key: "a", loaded, total: 100 }, T),
    );
    expect(lines.filter(Boolean)).toHaveLength(5);
    const line = j.line({ type: "input", key: "a", previous: "pending", state: "uploading" }, T) as string;
    expect(JSON.parse(line)).toEqual({
      type: "input",
      timestamp: "2026-12-02T10:00:00Z",
      key: "a",
      previous: "pending",
      state: "uploading",
    });
  });

  it("the closing table names every failure and the report", () => {
    const text = summaryText(
      summary({
        failed: [{ key: "bad.wav", jobId: "bk9", error: "could not be decoded", cause: "job" }],
        reportPath: "t/bulk-report.json",
      }),
    );
    expect(text).toContain("✗ bad.wav  job bk9  could not be decoded");
    expect(text).toContain("--retry-failed");
    expect(text).toContain("Report: t/bulk-report.json");
  });

  it("counts as in flight only jobs the API acknowledged: an unanswered upload is not started", () => {
    const counts = { pending: 1, uploading: 1, queued: 0, processing: 2, downloading: 0, done: 0, failed: 0 };
    const text = summaryText(summary({ total: 4, counts, detached: true }));
    expect(text).toMatch(/still in flight +2\n/);
    expect(text).toMatch(/not started +2\n/);
  });

  it("exit codes: 0 all saved, 1 any failed, 3 auth/unreachable, 2 local, 130 interrupted, 0 detached", () => {
    expect(bulkExitCode(summary(), undefined)).toBe(0);
    expect(bulkExitCode(summary({ failed: [{ key: "a", error: "x", cause: "job" }] }), undefined)).toBe(1);
    expect(bulkExitCode(summary({ fatal: { kind: "auth", message: "" } }), undefined)).toBe(3);
    expect(bulkExitCode(summary({ fatal: { kind: "unreachable", message: "" } }), undefined)).toBe(3);
    expect(bulkExitCode(summary({ fatal: { kind: "local", message: "" } }), undefined)).toBe(2);
    expect(bulkExitCode(summary({ detached: true }), "interrupt")).toBe(130);
    expect(bulkExitCode(summary({ detached: true }), "detach")).toBe(0);
  });
});
