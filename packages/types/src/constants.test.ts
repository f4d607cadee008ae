import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  AUDIO_FORMATS,
  DEFAULT_MODEL_CODE,
  isJobId,
  isJobStatus,
  isOutputFormat,
  isTerminalStatus,
  JOB_STATUSES,
  MAX_INPUT_BYTES,
  OUTPUT_FORMATS,
  PAGE_SIZE,
  PRODUCTION_BASE_URL,
  SERVERS,
  TERMINAL_STATUSES,
} from "./index.js";

const spec = parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "spec", "openapi.yaml"), "utf8"));
const schemas = spec.components.schemas;

describe("runtime constants match the spec", () => {
  it("JOB_STATUSES is the JobStatus enum, all seven, in order", () => {
    expect(JOB_STATUSES).toEqual(schemas.JobStatus.enum);
    expect(JOB_STATUSES).toHaveLength(7);
  });
  it("TERMINAL_STATUSES is DONE and FAILED", () => {
    expect(TERMINAL_STATUSES).toEqual(["DONE", "FAILED"]);
    expect(TERMINAL_STATUSES).toEqual(schemas.TerminalJobStatus.enum);
  });
  it("OUTPUT_FORMATS and AUDIO_FORMATS", () => {
    expect(OUTPUT_FORMATS).toEqual(schemas.OutputFormat.enum);
    expect(AUDIO_FORMATS).toEqual(["wav", "mp3", "flac", "aac", "ogg", "m4a", "mp4", "amr", "mpeg"]);
  });
  it("scalar facts", () => {
    expect(DEFAULT_MODEL_CODE).toBe("slng/speechmatics/batch:15.0.0");
    expect(MAX_INPUT_BYTES).toBe(1024 ** 3);
    expect(PAGE_SIZE).toEqual({ min: 1, max: 100, default: 20 });
    expect(SERVERS.production).toBe("https://api.batch.slng.ai");
    expect(PRODUCTION_BASE_URL).toBe(SERVERS.production);
    expect(SERVERS.staging).toBe("https://stageapi.batch.slng.ai");
  });
});

describe("guards", () => {
  it("isTerminalStatus", () => {
    expect(isTerminalStatus("DONE")).toBe(true);
    expect(isTerminalStatus("FAILED")).toBe(true);
    expect(isTerminalStatus("DELETED")).toBe(false);
    expect(isTerminalStatus("POST_PROCESSING")).toBe(false);
    expect(isTerminalStatus(undefined)).toBe(false);
  });
  it("isJobStatus, isJobId, isOutputFormat", () => {
    expect(isJobStatus("POST_PROCESSING")).toBe(true);
    expect(isJobStatus("done")).toBe(false);
    expect(isJobId("abc123")).toBe(true);
    expect(isJobId("abc-123")).toBe(false);
    expect(isJobId("")).toBe(false);
    expect(isOutputFormat("srt")).toBe(true);
    expect(isOutputFormat("vtt")).toBe(false);
  });
});
