/**
 * @slng/client for Node 20+, Deno and Bun: the same API as the browser build, plus file paths
 * as upload inputs and uploads streamed through `node:http(s)` (flat memory, real progress).
 */
import { createClientFor, type SlngClient, type SlngClientOptions } from "./client.js";
import { nodePlatform } from "./node-http.js";

export * from "./exports.js";

/**
 * Creates a client. `apiKey` defaults to `SLNG_API_KEY`, `baseUrl` to `SLNG_BASE_URL` or
 * production. Throws `SlngValidationError` (before any request) for a missing key or an
 * unsafe `baseUrl`.
 */
export function createSlngClient(options?: SlngClientOptions): SlngClient {
  return createClientFor(nodePlatform, options);
}
