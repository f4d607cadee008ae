/**
 * @slng/client — the typed client of SLNG's Batch API (browser and default build: no Node
 * built-ins; file paths are refused, uploads are Blob bodies through `fetch`).
 * Node, Deno and Bun resolve `./node.ts` instead (same API, plus file paths and `node:http`).
 */
import { clientOf, type SlngClient } from "./client.js";
import { createCoreFor, type SlngClientOptions, type SlngCore } from "./core.js";

export * from "./exports.js";

/**
 * Creates the small client the standalone functions take (`getJob(core, id)`…): only what you
 * import is bundled. `apiKey` defaults to `SLNG_API_KEY`, `baseUrl` to `SLNG_BASE_URL` or
 * production. Throws `SlngValidationError` (before any request) for a missing key or an
 * unsafe `baseUrl`.
 */
export function createSlngCore(options?: SlngClientOptions): SlngCore {
  return createCoreFor({}, options);
}

/**
 * Creates a client with every helper on one object (`jobs.get`, `transcribe`…). Same options
 * and checks as {@link createSlngCore}.
 */
export function createSlngClient(options?: SlngClientOptions): SlngClient {
  return clientOf(createSlngCore(options));
}
