import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.js";
import { errorResponse } from "./errors.js";
import { FAULT_HEADER } from "./faults.js";

/** Methods a browser may use across origins: the API's and the storage URLs'. */
const ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
/** Request headers a browser may send: the API key, bodies, and the per-request fault header. */
const ALLOWED_HEADERS = `Authorization, Content-Type, ${FAULT_HEADER}`;
/** Response headers a page may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = "Retry-After, X-Request-Id, Date, X-Slng-Emulator-Fault-Injected";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

/**
 * Checks and normalises the `corsOrigin` option: `"*"` (any origin) or web origins such as
 * `http://localhost:5173` (scheme, host and optional port; no path). Throws a `TypeError`
 * that says what is wrong.
 */
export function normaliseCorsOrigins(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : [...value];
  return list.map((raw) => {
    if (typeof raw !== "string") throw new TypeError("corsOrigin must be a string or an array of strings");
    const origin = raw.trim();
    if (origin === "*") return origin;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new TypeError(`corsOrigin '${raw}' is not an origin: give one like http://localhost:5173, or *`);
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== origin.replace(/\/$/, "")) {
      throw new TypeError(
        `corsOrigin '${raw}' is not an origin: give scheme, host and optional port only (e.g. http://localhost:5173), or *`,
      );
    }
    return url.origin;
  });
}

/**
 * CORS for browser apps, off unless origins are given. A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) from an allowed origin is answered 204 without auth; every
 * other answer to an allowed origin — errors, injected faults and storage URLs included —
 * carries `Access-Control-Allow-Origin`. Other origins get no CORS headers, so a random page
 * cannot drive an emulator bound to loopback.
 */
export function corsMiddleware(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  return async (c, next) => {
    if (origins.length === 0) return next();
    const origin = c.req.header("origin");
    const ok = origin !== undefined && (any || allowed.has(origin));
    const headers: Record<string, string> = any
      ? { "access-control-allow-origin": "*" }
      : { "access-control-allow-origin": origin ?? "", vary: "Origin" };
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      if (!ok) return errorResponse(403, `CORS: origin ${origin ?? "(none)"} is not allowed by this emulator`);
      return new Response(null, {
        status: 204,
        headers: {
          ...headers,
          "access-control-allow-methods": ALLOWED_METHODS,
          "access-control-allow-headers": ALLOWED_HEADERS,
          "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
        },
      });
    }
    await next();
    if (!ok) return;
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    c.res.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
  };
}
