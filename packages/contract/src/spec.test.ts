import { describe, expect, it } from "vitest";
import { collectExamples, spec, validateRef, validateResponse, validateSchema } from "./index.js";

describe("spec/openapi.yaml", () => {
  it("is OpenAPI 3.1 with the five operations", () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    const ids = Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((item) =>
      Object.values(item)
        .map((op) => op?.operationId)
        .filter(Boolean),
    );
    expect(ids.sort()).toEqual([
      "batchJobsCreate",
      "batchJobsDelete",
      "batchJobsFiles",
      "batchJobsGet",
      "batchJobsList",
    ]);
  });

  it("uses 3.1 nullability, never the 3.0 `nullable` keyword", () => {
    expect(JSON.stringify(spec)).not.toContain('"nullable"');
  });

  const examples = collectExamples();
  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThan(40);
  });
  it.each(examples.map((e) => [e.where, e] as const))("example %s validates against its schema", (_where, e) => {
    const r = validateRef(e.ref, e.value);
    expect(r.errors).toEqual([]);
  });
});

describe("bad payloads are rejected", () => {
  const job = { job_id: "abc123", status: "DONE" };
  it("a status outside the enum", () => {
    expect(validateSchema("BatchJob", { ...job, status: "CANCELLED" }).ok).toBe(false);
    expect(validateSchema("BatchJob", job).ok).toBe(true);
  });
  it("an extra property on the error envelope", () => {
    expect(validateSchema("Error", { error: "x", code: 42 }).ok).toBe(false);
    expect(validateSchema("Error", { error: "x" }).ok).toBe(true);
  });
  it("output format vtt", () => {
    const file = { format: "vtt", key: "k", s3_uri: "s3://b/k", download_url: "https://x/k" };
    expect(validateSchema("JobOutputFile", file).ok).toBe(false);
    expect(validateSchema("JobOutputFile", { ...file, format: "srt" }).ok).toBe(true);
  });
  it("a non-alphanumeric job id", () => {
    expect(validateSchema("BatchJob", { ...job, job_id: "../etc" }).ok).toBe(false);
  });
  it("an error_message that is a bare string, or has extra keys", () => {
    expect(validateSchema("BatchJob", { ...job, error_message: "boom" }).ok).toBe(false);
    expect(validateSchema("BatchJob", { ...job, error_message: { message: "m", code: 1 } }).ok).toBe(false);
    expect(validateSchema("BatchJob", { ...job, error_message: null }).ok).toBe(true);
  });
  it("an http input_url, and a JSON create body that mixes modes", () => {
    const cfg = { transcription_config: {} };
    expect(validateSchema("CreateJobJsonRequest", { input_url: "http://x.test/a.wav", ...cfg }).ok).toBe(false);
    expect(validateSchema("CreateJobJsonRequest", { input_url: "https://x.test/a.wav", s3_key: "k", ...cfg }).ok).toBe(
      false,
    );
    expect(validateSchema("CreateJobJsonRequest", { input_url: "https://x.test/a.wav", ...cfg }).ok).toBe(true);
  });
  it("a page meta with a missing field", () => {
    expect(validateSchema("PageMeta", { page: 1, page_size: 20, total: 3 }).ok).toBe(false);
  });
});

describe("validateResponse", () => {
  it("rejects an undeclared status code", () => {
    const r = validateResponse("DELETE", "/v1/batch/jobs/abc", 200, { job_id: "abc", status: "DELETED" });
    expect(r.ok).toBe(false);
  });
  it("accepts a declared status with a matching body, via a $ref response", () => {
    expect(validateResponse("GET", "/v1/batch/jobs/abc", 404, { error: "Job not found" }).ok).toBe(true);
    expect(validateResponse("GET", "/v1/batch/jobs/abc", 404, { message: "Job not found" }).ok).toBe(false);
  });
});
