import { describe, expectTypeOf, it } from "vitest";
import type {
  BatchJob,
  CreateJobJsonRequest,
  components,
  JobStatus,
  JsonV2Transcript,
  OutputFormat,
  operations,
  paths,
  TerminalJobStatus,
} from "./index.js";

describe("generated types", () => {
  it("BatchJob['status'] is exactly the seven statuses", () => {
    expectTypeOf<BatchJob["status"]>().toEqualTypeOf<
      "QUEUED" | "IN_PROGRESS" | "DECODING" | "POST_PROCESSING" | "DONE" | "FAILED" | "DELETED"
    >();
    expectTypeOf<JobStatus>().toEqualTypeOf<BatchJob["status"]>();
  });
  it("error_message is { message: string } | null (optional)", () => {
    expectTypeOf<NonNullable<BatchJob["error_message"]> | null>().toEqualTypeOf<{ message: string } | null>();
    expectTypeOf<BatchJob["error_message"]>().toEqualTypeOf<{ message: string } | null | undefined>();
  });
  it("nullable timestamps admit null; submitted_at does not", () => {
    expectTypeOf<null>().toExtend<BatchJob["completed_at"]>();
    expectTypeOf<null>().toExtend<BatchJob["started_at"]>();
    expectTypeOf<null>().not.toExtend<BatchJob["submitted_at"]>();
  });
  it("terminal statuses and output formats", () => {
    expectTypeOf<TerminalJobStatus>().toEqualTypeOf<"DONE" | "FAILED">();
    expectTypeOf<OutputFormat>().toEqualTypeOf<"json" | "txt" | "srt">();
  });
  it("the JSON create body is a three-way union", () => {
    expectTypeOf<{ input_url: string; transcription_config: Record<string, never> }>().toExtend<CreateJobJsonRequest>();
    expectTypeOf<{
      mode: "presign";
      filename: string;
      transcription_config: Record<string, never>;
    }>().toExtend<CreateJobJsonRequest>();
    expectTypeOf<{ s3_key: string; transcription_config: Record<string, never> }>().toExtend<CreateJobJsonRequest>();
    expectTypeOf<{ transcription_config: Record<string, never> }>().not.toExtend<CreateJobJsonRequest>();
  });
  it("paths and operations line up", () => {
    expectTypeOf<paths["/v1/batch/jobs/{jobId}"]["get"]>().toEqualTypeOf<operations["batchJobsGet"]>();
    type GetOk = operations["batchJobsGet"]["responses"][200]["content"]["application/json"];
    expectTypeOf<GetOk>().toEqualTypeOf<components["schemas"]["BatchJob"]>();
    type Query = NonNullable<operations["batchJobsList"]["parameters"]["query"]>;
    expectTypeOf<Query["page_size"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query["sort_order"]>().toEqualTypeOf<"asc" | "desc" | undefined>();
  });
  it("the json-v2 transcript is typed", () => {
    expectTypeOf<JsonV2Transcript["results"][number]["type"]>().toEqualTypeOf<"word" | "punctuation">();
    expectTypeOf<JsonV2Transcript["results"][number]["alternatives"][number]["content"]>().toEqualTypeOf<string>();
  });
});
