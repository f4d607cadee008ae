import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** Keep an idle socket this long without a `Keep-Alive: timeout=N` hint (undici's default too). */
const IDLE_SOCKET_MS = 4000;
const HINT = Symbol("keep-alive hint");

type HintedSocket = Socket & { [HINT]?: number };

/**
 * Closes an idle socket a second before the server says it will (`Keep-Alive: timeout=N`), or
 * after 4 s without a hint, so a request is rarely sent on a socket the server is closing.
 */
function keepAlive<T extends HttpAgent>(agent: T): T {
  // Node's Agent returns whether it kept the socket (its types say void).
  const keep = agent.keepSocketAlive.bind(agent) as unknown as (socket: Socket) => boolean;
  (agent as unknown as { keepSocketAlive: (socket: HintedSocket) => boolean }).keepSocketAlive = (socket) => {
    if (!keep(socket)) return false;
    socket.setTimeout(socket[HINT] ?? IDLE_SOCKET_MS);
    return true;
  };
  return agent;
}

const agents = {
  "http:": keepAlive(new HttpAgent({ keepAlive: true })),
  "https:": keepAlive(new HttpsAgent({ keepAlive: true })),
};

function rememberHint(res: IncomingMessage): void {
  const hint = /timeout=(\d+)/i.exec(String(res.headers["keep-alive"] ?? ""))?.[1];
  if (hint) (res.socket as HintedSocket)[HINT] = Math.max(1000, Number(hint) * 1000 - 1000);
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === "gzip" || encoding === "x-gzip") return gunzipSync(body);
  if (encoding === "deflate") return inflateSync(body);
  if (encoding === "br") return brotliDecompressSync(body);
  return body;
}

function toResponse(res: IncomingMessage, body: Buffer, method: string, url: string): Response {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2)
    headers.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
  const status = res.statusCode ?? 500;
  const empty = method === "HEAD" || status === 204 || status === 304 || body.length === 0;
  const encoding = res.headers["content-encoding"]?.toLowerCase();
  const response = new Response(empty ? null : new Uint8Array(decode(body, encoding)), {
    status,
    statusText: res.statusMessage ?? "",
    headers,
  });
  Object.defineProperty(response, "url", { value: url });
  return response;
}

/** One attempt; a reset on a reused keep-alive socket (the server closed it as we sent) is retried once. */
function once(request: Request, signal: AbortSignal | null | undefined, retryReset: boolean): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, { method: request.method, headers, agent: agents[url.protocol as "http:"] });
    const onAbort = () => {
      reject(signal?.reason);
      req.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    const fail = (e: unknown) => {
      settle();
      // As the global fetch fails: a TypeError whose cause says what happened (ECONNREFUSED…).
      reject(new TypeError("fetch failed", { cause: e }));
    };
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (signal?.aborted) return;
      if (retryReset && req.reusedSocket && (e.code === "ECONNRESET" || e.code === "EPIPE")) {
        settle();
        resolve(once(request, signal, false));
        return;
      }
      fail(e);
    });
    req.on("response", (res) => {
      rememberHint(res);
      const body: Buffer[] = [];
      res.on("data", (c: Buffer) => body.push(c));
      res.on("error", fail);
      res.on("end", () => {
        try {
          const response = toResponse(res, Buffer.concat(body), request.method, request.url);
          settle();
          resolve(response);
        } catch (e) {
          fail(e);
        }
      });
    });
    req.end();
  });
}

/**
 * A `fetch` for the terminal UI's small API requests, over `node:http(s)` with keep-alive.
 * One poll through Node 20's built-in fetch (undici) costs ~15 ms of CPU when it runs every
 * 3 s; through `node:http` ~6 ms (bench/client-poll-cpu.bench.mjs). Only body-less requests
 * (GET, HEAD, DELETE, OPTIONS) take this path; anything with a body, a non-http(s) URL or a
 * redirect answer goes to `fallback` (the global fetch), so behaviour matches fetch's: the
 * response's status, headers and body; a decoded gzip/deflate/br body; abort rejects with
 * the signal's reason; a network failure is fetch's `TypeError("fetch failed")` with the
 * socket's error as its `cause`.
 */
export function createHttpFetch(fallback: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  return async (input, init) => {
    // The client calls `fetch(request, { signal })`: no second Request is built for that.
    const onlySignal = init === undefined || Object.keys(init).every((k) => k === "signal");
    const request = input instanceof Request && onlySignal ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    const protocol = new URL(request.url).protocol;
    if (request.body !== null || (protocol !== "http:" && protocol !== "https:")) return fallback(request, { signal });
    if (signal?.aborted) throw signal.reason;
    const response = await once(request, signal, true);
    const redirect = response.status >= 300 && response.status < 400 && response.headers.has("location");
    if (redirect && request.redirect !== "manual") return fallback(request, { signal });
    return response;
  };
}
