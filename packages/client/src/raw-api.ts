import type { paths } from "@slng/types";
import type { Client } from "openapi-fetch";
import { type SlngCore, state } from "./core.js";
import { createClient } from "./openapi-fetch.js";
import { retryingFetch } from "./transport.js";

/**
 * The raw openapi-fetch client over a core, typed by the spec's paths: every request goes
 * through the core's key guard, retries, timeouts, middleware and logging. Import it only if
 * you need it (it adds openapi-fetch, about 2.6 kB min+gz, to a bundle).
 */
export function createSlngApi(core: SlngCore): Client<paths> {
  return createClient<paths>({ baseUrl: core.baseUrl, fetch: retryingFetch(state(core).t) });
}
