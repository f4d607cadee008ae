import type { MiddlewareHandler } from "hono";
import type { AppEnv, EmulatorContext } from "../context.js";
import { redactSignatures } from "../signing.js";
import { DROP_MARKER_HEADER, FAULT_INJECTED_HEADER } from "./headers.js";

/** One log line per request (method, path, outcome, injected fault, time), signatures redacted. */
export function requestLog(ctx: EmulatorContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    if (!ctx.log) return;
    const url = new URL(c.req.url);
    const injected = c.res.headers.get(FAULT_INJECTED_HEADER);
    const outcome = c.res.headers.get(DROP_MARKER_HEADER) ? "connection dropped" : String(c.res.status);
    const note = injected ? ` (injected fault: ${injected})` : "";
    ctx.log(
      redactSignatures(`${c.req.method} ${url.pathname}${url.search} -> ${outcome}${note} ${Date.now() - started}ms`),
    );
  };
}
