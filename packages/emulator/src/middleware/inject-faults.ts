import type { Context, MiddlewareHandler, Next } from "hono";
import type { AppEnv, EmulatorContext } from "../context.js";
import { errorResponse } from "../errors.js";
import { FAULT_HEADER, type Fault, FaultInjector } from "../faults.js";
import { DROP_MARKER_HEADER, FAULT_INJECTED_HEADER } from "./headers.js";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

async function apply(
  ctx: EmulatorContext,
  fault: Fault,
  c: Context<AppEnv>,
  next: Next,
): Promise<Response | undefined> {
  const mark = { [FAULT_INJECTED_HEADER]: fault.kind };
  const retryAfter = String(ctx.faults.retryAfterSeconds);
  switch (fault.kind) {
    case "latency":
      await sleep(fault.latencyMs, AbortSignal.any([ctx.signal, c.req.raw.signal]));
      await next();
      c.res.headers.set(FAULT_INJECTED_HEADER, "latency");
      return;
    case "500":
      return errorResponse(500, "Internal server error", mark);
    case "503":
      return errorResponse(503, "Service temporarily unavailable, please retry", {
        ...mark,
        "retry-after": retryAfter,
      });
    case "429":
      return errorResponse(429, "Too many requests, please retry later", { ...mark, "retry-after": retryAfter });
    case "drop":
      c.env?.incoming?.socket?.destroy();
      return errorResponse(500, "Connection dropped", { ...mark, [DROP_MARKER_HEADER]: "1" });
    case "lost":
      await next();
      await c.res.body?.cancel();
      c.env?.incoming?.socket?.destroy();
      c.res = errorResponse(500, "Connection dropped after the request was applied", {
        ...mark,
        [DROP_MARKER_HEADER]: "lost",
      });
      return;
  }
}

/**
 * Refuses requests after close() (503), then injects the fault the request asks for (the
 * `x-slng-emulator-fault` header) or the seeded injector draws, if any.
 */
export function injectFaults(ctx: EmulatorContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (ctx.isClosed()) return errorResponse(503, "The emulator has been shut down");
    const header = FaultInjector.parseHeader(c.req.header(FAULT_HEADER) ?? null);
    if (typeof header === "string") return errorResponse(400, header);
    const pathname = new URL(c.req.url).pathname;
    const fault = header ?? ctx.faults.decide(pathname, pathname.startsWith("/v1/"));
    if (!fault) return next();
    return apply(ctx, fault, c, next);
  };
}
