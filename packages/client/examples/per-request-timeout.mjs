// Per-request options: a tight timeout and no retries for one call, an extra header for another.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/per-request-timeout.mjs
import { createSlngClient, SlngTimeoutError } from "@slng/client";

const slng = createSlngClient({ timeoutMs: 30_000, defaultHeaders: { "x-team": "docs" } });

const page = await slng.jobs.listPage({
  pageSize: 5,
  timeoutMs: 5_000,
  maxRetries: 0,
  headers: { "x-trace": "list-1" },
});
console.log(`listed ${page.items.length} job(s) of ${page.meta.total}`);

try {
  // 1 ms is too short for any real request: it fails fast with SlngTimeoutError, one attempt.
  await slng.jobs.listPage({ timeoutMs: 1, maxRetries: 0 });
  console.log("answered within 1 ms");
} catch (e) {
  if (!(e instanceof SlngTimeoutError)) throw e;
  console.log(`timed out as asked: ${e.message}`);
}
