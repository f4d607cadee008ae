import { MAX_INPUT_BYTES } from "@slng/types";
import { describe, expect, it } from "vitest";
import { redactUrl, SlngApiError, SlngValidationError } from "./errors.js";
import { audioFormat, checkBaseUrl, checkJobId, checkSize, isLocalHost, toQuery } from "./validate.js";

describe("validation", () => {
  it("checks job ids against ^[a-zA-Z0-9]+$", () => {
    expect(checkJobId("abc123")).toBe("abc123");
    for (const bad of ["", "a-b", "a b", "../x", 5, undefined])
      expect(() => checkJobId(bad)).toThrow(SlngValidationError);
  });

  it("refuses plain http to a remote host but allows loopback and reserved names", () => {
    expect(checkBaseUrl("https://api.batch.slng.ai/")).toBe("https://api.batch.slng.ai");
    expect(checkBaseUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(checkBaseUrl("http://localhost:1")).toBe("http://localhost:1");
    expect(checkBaseUrl("http://[::1]:1")).toBe("http://[::1]:1");
    expect(checkBaseUrl("http://emulator.test")).toBe("http://emulator.test");
    expect(() => checkBaseUrl("http://api.batch.slng.ai")).toThrow(/in clear/);
    expect(() => checkBaseUrl("http://10.0.0.1")).toThrow(SlngValidationError);
    expect(checkBaseUrl("http://10.0.0.1", true)).toBe("http://10.0.0.1");
    expect(() => checkBaseUrl("ftp://x")).toThrow(/http/);
    expect(() => checkBaseUrl("not a url")).toThrow(/not a URL/);
    expect(isLocalHost("127.1.2.3")).toBe(true);
    expect(isLocalHost("test.example.com")).toBe(false);
  });

  it("accepts the nine audio formats by extension, case-insensitively", () => {
    expect(audioFormat("a.WAV")).toBe("wav");
    expect(audioFormat("dir.x/b.mpeg")).toBe("mpeg");
    expect(() => audioFormat("notes.txt")).toThrow(/\.wav, \.mp3/);
    expect(() => audioFormat("noext")).toThrow(SlngValidationError);
  });

  it("enforces the 1 GB limit", () => {
    expect(checkSize(MAX_INPUT_BYTES)).toBe(MAX_INPUT_BYTES);
    expect(() => checkSize(MAX_INPUT_BYTES + 1)).toThrow(/at most 1 GB/);
    expect(() => checkSize(0)).toThrow(/empty/);
    expect(() => checkSize(-1)).toThrow(SlngValidationError);
  });

  it("maps camelCase filters to the API query, status comma-joined", () => {
    expect(
      toQuery({
        status: ["DONE", "FAILED"],
        pageSize: 100,
        page: 2,
        modelCode: "m",
        submittedAfter: new Date("2026-01-01T00:00:00Z"),
        submittedBefore: "2026-02-01T00:00:00Z",
        sortBy: "status",
        sortOrder: "asc",
      }),
    ).toEqual({
      status: "DONE,FAILED",
      page_size: 100,
      page: 2,
      model_code: "m",
      submitted_after: "2026-01-01T00:00:00.000Z",
      submitted_before: "2026-02-01T00:00:00.000Z",
      sort_by: "status",
      sort_order: "asc",
    });
    expect(toQuery({ status: "QUEUED" })).toEqual({ status: "QUEUED" });
    expect(toQuery()).toEqual({});
  });

  it("rejects out-of-range page_size, bad pages, statuses, sorts and dates", () => {
    for (const bad of [0, 101, 1.5]) expect(() => toQuery({ pageSize: bad })).toThrow(/pageSize/);
    expect(() => toQuery({ page: 0 })).toThrow(/page/);
    expect(() => toQuery({ status: ["DONE", "NOPE" as "DONE"] })).toThrow(/NOPE/);
    expect(() => toQuery({ sortBy: "x" as "status" })).toThrow(/sortBy/);
    expect(() => toQuery({ sortOrder: "up" as "asc" })).toThrow(/sortOrder/);
    expect(() => toQuery({ submittedAfter: "yesterday" })).toThrow(/submittedAfter/);
  });
});

describe("errors", () => {
  it("redacts signing parameters but keeps the rest of a URL", () => {
    const url =
      "https://b.s3.amazonaws.com/k.wav?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1&X-Amz-Date=2026&X-Amz-Expires=1800&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok";
    const r = redactUrl(`PUT ${url} failed`);
    expect(r).not.toMatch(/deadbeef|AKIA|tok\b/);
    expect(r).toContain("X-Amz-Signature=REDACTED");
    expect(r).toContain("X-Amz-Expires=1800");
    expect(r).toMatch(/ failed$/);
  });

  it("classifies API errors by status, with retryable and a plain JSON form", () => {
    const e = new SlngApiError("Too many requests", { status: 429, request: "GET /x", retryAfterMs: 1000 });
    expect(e.code).toBe("rate_limited");
    expect(e.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: "SlngApiError", status: 429, retryable: true });
    expect(new SlngApiError("x", { status: 404, request: "" }).code).toBe("not_found");
    expect(new SlngApiError("x", { status: 409, request: "" }).retryable).toBe(false);
    expect(new SlngApiError("x", { status: 413, request: "" }).code).toBe("payload_too_large");
    expect(new SlngApiError("x", { status: 502, request: "" })).toMatchObject({
      code: "server_error",
      retryable: true,
    });
    expect(String(e)).toBe("SlngApiError: Too many requests");
  });
});
