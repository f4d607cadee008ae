/**
 * @slng/client for Node 20+, Deno and Bun: the same API as the browser build, plus file paths
 * as upload inputs and uploads streamed through `node:http(s)` (flat memory, real progress).
 */
import { clientOf, type SlngClient } from "./client.js";
import { createCoreFor, type SlngClientOptions, type SlngCore } from "./core.js";
import { nodePlatform } from "./node-http.js";

export * from "./exports.js";

/**
 * Creates the small client the standalone functions take (`getJob(core, id)`…); in Node it
 * reads file paths and streams uploads through `node:http`. `apiKey` defaults to
 * `SLNG_API_KEY`, `baseUrl` to `SLNG_BASE_URL` or production. Throws `SlngValidationError`
 * (before any request) for a missing key or an unsafe `baseUrl`.
 */
export function createSlngCore(options?: SlngClientOptions): SlngCore {
  return createCoreFor(nodePlatform, options);
}

/**
 * Creates a client with every helper on one object (`jobs.get`, `transcribe`…). Same options
 * and checks as {@link createSlngCore}.
 */
export function createSlngClient(options?: SlngClientOptions): SlngClient {
  return clientOf(createSlngCore(options));
}
