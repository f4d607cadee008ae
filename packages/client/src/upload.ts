import { type Part, toWebStream } from "./body.js";
import type { CoreState } from "./core.js";
import { SlngTimeoutError } from "./errors.js";
import { describeRequest } from "./transport.js";

/** One upload attempt's request. */
export interface UploadRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  parts: readonly Part[];
  size: number;
  /** Called with the running total of bytes sent. */
  onTotal: (loaded: number) => void;
  jobId: string;
}

/**
 * One upload attempt: through `node:http` when the core streams that way, else the core's
 * fetch. It aborts with `signal`, and times out after `timeoutMs` without progress (a stall).
 */
export async function uploadOnce(c: CoreState, r: UploadRequest, signal: AbortSignal): Promise<Response> {
  const { method, url, headers, parts, size } = r;
  const ctl = new AbortController();
  const abort = () => ctl.abort(signal.reason);
  signal.addEventListener("abort", abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        ctl.abort(
          new SlngTimeoutError(`${describeRequest(method, url)} made no progress for ${c.t.timeoutMs} ms`, r.jobId),
        ),
      c.t.timeoutMs,
    );
  };
  let loaded = 0;
  const tick = (n: number) => {
    arm();
    loaded += n;
    r.onTotal(loaded);
  };
  arm();
  try {
    if (c.httpSend) return await c.httpSend({ url, method, headers, parts, size, signal: ctl.signal, onSent: tick });
    // Blob bodies carry a Content-Length (object stores require one); only a caller's
    // one-shot stream goes as a streamed (chunked) body.
    const blobs = await Promise.all(parts.map((p) => (p instanceof Uint8Array || p instanceof Blob ? p : p.blob?.())));
    const streaming = blobs.some((b) => !b);
    const body = streaming ? toWebStream(parts, tick) : new Blob(blobs as BlobPart[]);
    const res = await c.t.fetch(
      new Request(url, { method, headers, body, signal: ctl.signal, duplex: "half" } as RequestInit),
    );
    if (!streaming) tick(size);
    return res;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", abort);
  }
}
