import { showHeaders } from "./log.js";
import type { Transport } from "./transport.js";

/** Where an exchange goes: the SLNG API (carries the key) or object storage (signed URLs, never the key). */
export type ExchangeTarget = "api" | "storage";

/** What every middleware hook is told about one HTTP exchange (one attempt). */
export interface ExchangeContext {
  /** The request about to go out (for uploads the body is streamed separately: method, URL and headers only). */
  request: Request;
  /** `api` or `storage`. */
  target: ExchangeTarget;
  /** 0 for the first attempt, 1 for the first retry… */
  attempt: number;
}

/**
 * Hooks run on every HTTP exchange the client makes — API calls of every kind (the three
 * creates, presign, get, list, files, delete) and storage (the presigned upload PUT, downloads),
 * once per attempt. `onRequest` may change headers or return another `Request`; the API key is
 * added after it (never seen by it) and removed from storage requests whatever it does.
 * `onResponse` may return another `Response`; `onError` sees failures (network, timeout, abort).
 */
/* biome-ignore-start lint/suspicious/noConfusingVoidType: a hook may return nothing */
export interface SlngMiddleware {
  onRequest?(ctx: ExchangeContext): Request | undefined | void | Promise<Request | undefined | void>;
  onResponse?(
    ctx: ExchangeContext & { response: Response },
  ): Response | undefined | void | Promise<Response | undefined | void>;
  onError?(ctx: ExchangeContext & { error: unknown }): void | Promise<void>;
}
/* biome-ignore-end lint/suspicious/noConfusingVoidType: a hook may return nothing */

/**
 * One HTTP exchange: the caller's headers (API only), the middleware chain, then the key for
 * the API's origin or the key stripped for storage, then `run`; one debug line per exchange
 * (method, redacted URL, status, time, attempt, request id, headers — credentials redacted).
 */
export async function exchange(
  t: Transport,
  target: ExchangeTarget,
  request: Request,
  attempt: number,
  run: (request: Request) => Promise<Response>,
): Promise<Response> {
  let req = request;
  if (target === "api") for (const [k, v] of Object.entries(t.headers)) req.headers.set(k, v);
  for (const m of t.mw) req = (await m.onRequest?.({ request: req, target, attempt })) || req;
  t.guard(req, target);
  const started = Date.now();
  const line = (outcome: string, res?: Response) =>
    t.log.debug?.(
      `${target} ${req.method} ${req.url} → ${outcome} (${Date.now() - started} ms) attempt ${attempt + 1}` +
        ` request-id ${res?.headers.get("x-request-id") ?? "-"} request ${showHeaders(req.headers)}` +
        (res ? ` response ${showHeaders(res.headers)}` : ""),
    );
  let res: Response;
  try {
    res = await run(req);
  } catch (error) {
    line(String((error as Error)?.name ?? "error"));
    for (const m of t.mw) await m.onError?.({ request: req, target, attempt, error });
    throw error;
  }
  for (const m of t.mw) res = (await m.onResponse?.({ request: req, target, attempt, response: res })) || res;
  line(String(res.status), res);
  return res;
}
