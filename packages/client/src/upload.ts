import { type Part, toWebStream } from "./body.js";
import type { CoreState } from "./core.js";
import { type ExchangeTarget, exchange } from "./exchange.js";
import type { Transport } from "./transport.js";

/** The words of an upload's timeout: its timer restarts as bytes go out (see `send`). */
export const STALLED = "made no progress for";

/** One upload attempt's request. */
export interface UploadRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  parts: readonly Part[];
  size: number;
  /** Called with the running total of bytes sent. */
  onTotal: (loaded: number) => void;
}

/**
 * One upload attempt (exchange `n` of the request, through the middleware chain): through
 * `node:http` when the core streams that way, else the core's fetch. `signal` and `progress`
 * come from `send`: it aborts the attempt, and times it out after `timeoutMs` without progress
 * (a stall); `progress` is called as bytes go out. Middleware sees method, URL and headers.
 */
export function uploadOnce(
  c: CoreState,
  t: Transport,
  target: ExchangeTarget,
  r: UploadRequest,
  signal: AbortSignal,
  progress: () => void,
  n: number,
): Promise<Response> {
  const { method, parts, size } = r;
  let loaded = 0;
  const tick = (k: number) => {
    progress();
    loaded += k;
    r.onTotal(loaded);
  };
  const { uploadTransport: via, fetch } = c.o;
  // `node:http` (where the platform has it) when asked, or by default unless a custom fetch is given.
  const httpSend = via === "node-http" || (via !== "fetch" && !fetch) ? c.platform.httpSend : undefined;
  return exchange(t, target, new Request(r.url, { method, headers: r.headers }), n, async (req) => {
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    if (httpSend)
      return httpSend({ url: req.url, method, headers, parts, size, signal, onSent: tick, proxy: c.o.proxy });
    // Blob bodies carry a Content-Length (object stores require one); only a caller's
    // one-shot stream goes as a streamed (chunked) body.
    const blobs = await Promise.all(parts.map((p) => (p instanceof Uint8Array || p instanceof Blob ? p : p.blob?.())));
    const streaming = blobs.some((b) => !b);
    const body = streaming ? toWebStream(parts, tick) : new Blob(blobs as BlobPart[]);
    const res = await t.fetch(new Request(req.url, { method, headers, body, signal, duplex: "half" } as RequestInit));
    if (!streaming) tick(size);
    return res;
  });
}
