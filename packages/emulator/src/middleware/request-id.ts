import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.js";
import { newRequestId, REQUEST_ID_HEADER } from "../request-id.js";

/**
 * Gives every answer an `x-request-id` — successes, errors, 404s, injected faults, CORS
 * preflights and storage answers alike — so a client can show it next to an error.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = newRequestId();
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
