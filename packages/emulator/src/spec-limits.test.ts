import { spec } from "@slng/contract";
import { describe, expect, it } from "vitest";
import { createSampleWav } from "./index.js";
import { testApisClosedAfterEach } from "./test-support.js";

const setup = testApisClosedAfterEach();
const wav = createSampleWav({ seconds: 1 });
const schemas = spec.components.schemas;
const params = spec.components.parameters;

describe("limits the emulator enforces are stated in the spec", () => {
  it("job ids: maxLength 128 in the spec, enforced at 128/129", async () => {
    expect(schemas.JobId.maxLength).toBe(128);
    expect(schemas.JobId.description).toMatch(/emulator limit/);
    const { upload } = setup();
    expect((await upload(wav, { transcription_config: "{}", job_id: "a".repeat(128) })).status).toBe(202);
    const long = await upload(wav, { transcription_config: "{}", job_id: "b".repeat(129) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatch(/job_id is too long: at most 128 characters \(an emulator limit\)/);
  });

  it("page: maximum 1,000,000,000 and plain digits, stated in the spec", async () => {
    expect(params.Page.schema.maximum).toBe(1_000_000_000);
    expect(params.Page.description).toMatch(/emulator limit/);
    expect(params.Page.description).toContain("1e3");
    const { call } = setup();
    expect((await call("GET", "/v1/batch/jobs?page=1000000000")).status).toBe(200);
    for (const page of ["1000000001", "1e3"]) {
      const r = await call("GET", `/v1/batch/jobs?page=${page}`);
      expect(r.status, page).toBe(400);
      expect(r.body.error).toMatch(/^Invalid page '.*': must be an integer from 1 to 1000000000, in decimal digits$/);
    }
  });

  it("srt_overrides: maximum 1000, stated in the spec", async () => {
    for (const key of ["max_line_length", "max_lines"]) {
      expect(schemas.SrtOverrides.properties[key].maximum).toBe(1000);
      expect(schemas.SrtOverrides.properties[key].description).toMatch(/emulator limit/);
    }
    const { upload } = setup();
    const withSrt = (n: number) =>
      upload(wav, { transcription_config: "{}", output_config: JSON.stringify({ srt_overrides: { max_lines: n } }) });
    expect((await withSrt(1000)).status).toBe(202);
    const over = await withSrt(1001);
    expect(over.status).toBe(400);
    expect(over.body.error).toBe("output_config.srt_overrides.max_lines must be an integer from 1 to 1000");
  });

  it("unknown multipart fields: refused, and the spec's multipart schema says so", async () => {
    expect(schemas.CreateJobMultipartRequest.additionalProperties).toBe(false);
    expect(schemas.CreateJobMultipartRequest.description).toMatch(/emulator limit/);
    const r = await setup().upload(wav, { transcription_config: "{}", colour: "blue" });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^Unknown form field 'colour'/);
  });
});

describe("the list refuses what the spec forbids, naming the parameter", () => {
  const cases: [string, RegExp][] = [
    ["status=DONE,%20FAILED", /^Invalid status ' FAILED' \(no spaces around the commas\)\. Allowed values:/],
    ["status=DONE&status=FAILED", /^The query parameter status is given 2 times: give it once \(several statuses/],
    ["page=2&page=1", /^The query parameter page is given 2 times: give it once$/],
    ["sort_order=asc&sort_order=desc", /^The query parameter sort_order is given 2 times/],
    [
      "submitted_after=2026-01-01",
      /^Invalid submitted_after '2026-01-01': use an ISO 8601 date-time with a time and a zone/,
    ],
    ["submitted_before=2026-01-01T10:00", /^Invalid submitted_before '2026-01-01T10:00'/],
    ["submitted_after=2026-01-01T10:00:00", /^Invalid submitted_after '2026-01-01T10:00:00'/],
  ];
  for (const [query, message] of cases) {
    it(`400 for ${query}`, async () => {
      const r = await setup().call("GET", `/v1/batch/jobs?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(message);
    });
  }

  it("still takes full date-times, an unencoded + offset, and one comma-separated status value", async () => {
    const { call } = setup();
    for (const q of [
      "submitted_after=2026-01-01T00:00:00Z",
      "submitted_after=2026-01-01T02:00:00.5%2B02:00",
      "submitted_after=2026-01-01T02:00:00+02:00",
      "status=DONE,FAILED",
    ])
      expect((await call("GET", `/v1/batch/jobs?${q}`)).status, q).toBe(200);
  });
});

describe("413 names the limit in force", () => {
  it("with maxInputBytes lowered, the message names it; at the default it is the documented text", async () => {
    for (const [limit, text] of [
      [50_000, "50000 bytes"],
      [64 * 1024, "64 KB"],
    ] as const) {
      const r = await setup({ maxInputBytes: limit }).upload(new Uint8Array(limit + 1));
      expect(r).toEqual({ status: 413, body: { error: `File too large. Maximum size is ${text}.` } });
    }
  });
});
