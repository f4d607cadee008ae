import { jsonResponse } from "../errors.js";
import type { JobRecord } from "../store.js";

/** The `202` answer to a create: `{ job_id, status: "QUEUED" }`. */
export function acknowledge(job: JobRecord): Response {
  return jsonResponse(202, { job_id: job.id, status: "QUEUED" });
}
