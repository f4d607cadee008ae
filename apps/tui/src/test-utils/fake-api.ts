import type { BatchJob, JobFilesResponse, JobListResponse } from "@slng/types";
import type { JobsApi, WatchOptions } from "../lib/api.js";

/** One step of a scripted watch: a snapshot to yield, or an error to throw. */
export type Step = { job: BatchJob } | { error: unknown } | { hang: true };

/** Builds a BatchJob for tests. */
export function makeJob(patch: Partial<BatchJob> = {}): BatchJob {
  return {
    job_id: "job123",
    status: "QUEUED",
    model_code: "slng/speechmatics/batch:15.0.0",
    job_config: {
      type: "transcription",
      transcription_config: { language: "en" },
      tracking: { title: "Weekly sync", reference: "ref-7" },
    },
    input_metadata: { size_bytes: 1_543_210, duration_seconds: 312.4, format: "wav", mime_type: "audio/wav" },
    output_metadata: {},
    error_message: null,
    submitted_at: "2026-01-01T12:00:00.000Z",
    started_at: null,
    completed_at: null,
    updated_at: "2026-01-01T12:00:00.000Z",
    ...patch,
  } as BatchJob;
}

/** An API error shaped like `@slng/client`'s (status, message, retryable). */
export function apiError(status: number, message: string): Error {
  const e = new Error(message) as Error & { status: number; retryable: boolean };
  e.name = "SlngApiError";
  e.status = status;
  e.retryable = status === 429 || status >= 500;
  return e;
}

/**
 * A scripted {@link JobsApi}: each `watch` call consumes `watchRuns` in order (one run is a
 * list of steps); other methods return fixed data. Records calls for assertions.
 */
export class FakeApi implements JobsApi {
  watchRuns: Step[][] = [];
  watchCalls = 0;
  deleted: string[] = [];
  listItems: BatchJob[] = [];
  transcript = "Hello world. This is the first line.\nSecond line of the transcript.\nThird line.";
  listError: unknown;
  /** The poll pace per status, when a test sets one. */
  pace?: JobsApi["pace"];

  async get(jobId: string): Promise<BatchJob> {
    return makeJob({ job_id: jobId });
  }

  async *watch(_jobId: string, opts?: WatchOptions): AsyncIterable<BatchJob> {
    const steps = this.watchRuns[this.watchCalls++] ?? [{ hang: true }];
    for (const step of steps) {
      if (opts?.signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      if ("hang" in step) {
        await new Promise<void>((_, reject) => {
          opts?.signal?.addEventListener(
            "abort",
            () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
            { once: true },
          );
        });
      } else if ("error" in step) {
        throw step.error;
      } else {
        await Promise.resolve();
        yield step.job;
      }
    }
  }

  async listPage(filters?: { page?: number; pageSize?: number; status?: string[] }): Promise<JobListResponse> {
    if (this.listError) throw this.listError;
    const items = this.listItems.filter((j) => !filters?.status || filters.status.includes(j.status));
    const size = filters?.pageSize ?? 20;
    const page = filters?.page ?? 1;
    return {
      items: items.slice((page - 1) * size, page * size),
      meta: { page, page_size: size, total: items.length, pages: Math.ceil(items.length / size) },
    };
  }

  async delete(jobId: string) {
    this.deleted.push(jobId);
    return { job_id: jobId, status: "DELETED" };
  }

  async files(jobId: string): Promise<JobFilesResponse> {
    const url = (k: string) => `http://127.0.0.1:1/storage/${k}?X-Amz-Expires=3600&X-Amz-Signature=abcdef`;
    return {
      job_id: jobId,
      inputs: [
        { key: `inputs/${jobId}.wav`, s3_uri: `s3://b/inputs/${jobId}.wav`, download_url: url(`inputs/${jobId}.wav`) },
      ],
      outputs: (["json", "txt", "srt"] as const).map((format) => ({
        format,
        key: `outputs/${jobId}/transcript.${format}`,
        s3_uri: `s3://b/outputs/${jobId}/transcript.${format}`,
        download_url: url(`outputs/${jobId}/transcript.${format}`),
      })),
    };
  }

  async download(_jobId: string, format: "txt" | "srt"): Promise<string> {
    return format === "txt" ? this.transcript : "1\n00:00:00,000 --> 00:00:01,000\nHello\n";
  }

  async downloadJson() {
    return { format: "2.9", results: [] } as never;
  }

  async create() {
    return { job_id: "new123", status: "QUEUED" };
  }
}

/** Waits until `check` passes (polling every 10 ms), failing after `timeoutMs`. */
export async function waitFor(check: () => void, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
