// Error handling: one class per status, all `instanceof SlngApiError`, with `code`, `retryable`,
// `requestId` and the response `headers`.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/error-handling.mjs
import {
  createSlngClient,
  SlngApiError,
  SlngAuthenticationError,
  SlngNetworkError,
  SlngNotFoundError,
  SlngPermissionDeniedError,
  SlngRateLimitError,
  SlngValidationError,
} from "@slng/client";

const slng = createSlngClient();

async function explain(what, call) {
  try {
    await call();
    console.log(`${what}: ok`);
  } catch (e) {
    if (e instanceof SlngNotFoundError) console.log(`${what}: no such job (${e.code}, status ${e.status})`);
    else if (e instanceof SlngPermissionDeniedError || e instanceof SlngAuthenticationError)
      console.log(`${what}: check the API key (${e.code})`);
    else if (e instanceof SlngRateLimitError) console.log(`${what}: slow down, retry in ${e.retryAfterMs ?? "?"} ms`);
    else if (e instanceof SlngApiError)
      console.log(`${what}: ${e.name} ${e.status} ${e.code} retryable=${e.retryable} request id ${e.requestId ?? "-"}`);
    else if (e instanceof SlngValidationError) console.log(`${what}: bad input (${e.field}): ${e.message}`);
    else if (e instanceof SlngNetworkError) console.log(`${what}: network (${e.code}), retryable=${e.retryable}`);
    else throw e;
  }
}

await explain("get a job that does not exist", () => slng.jobs.get("doesnotexist0"));
await explain("a wrong key", () => createSlngClient({ apiKey: "sk_wrong_key" }).jobs.listPage());
await explain("a bad job id", () => slng.jobs.get("not valid!"));
await explain("a bad filter", () => slng.jobs.listPage({ pageSize: 1000 }));
