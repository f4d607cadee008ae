/**
 * @slng/client — the typed client of SLNG's Batch API (browser and default build: no Node
 * built-ins; file paths are refused, uploads are Blob bodies through `fetch`).
 * Node, Deno and Bun resolve `./node.ts` instead (same API, plus file paths and `node:http`).
 */
import { createClientFor, type SlngClient, type SlngClientOptions } from "./client.js";

export * from "./exports.js";

/**
 * Creates a client. `apiKey` defaults to `SLNG_API_KEY`, `baseUrl` to `SLNG_BASE_URL` or
 * production. Throws `SlngValidationError` (before any request) for a missing key or an
 * unsafe `baseUrl`.
 */
export function createSlngClient(options?: SlngClientOptions): SlngClient {
  return createClientFor({}, options);
}
