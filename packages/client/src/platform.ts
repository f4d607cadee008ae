import type { Part } from "./body.js";

/** A request streamed over `node:http(s)`. */
export interface StreamedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  parts: readonly Part[];
  size: number;
  signal: AbortSignal;
  /** Called as bytes are handed to the socket (write callbacks), i.e. really sent. */
  onSent: (bytes: number) => void;
  /** The client's `proxy` option (else the environment's `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`). */
  proxy?: string | false | undefined;
}

/** What differs between runtimes: file paths, streamed uploads and environment variables. */
export interface Platform {
  /** Opens a file path for upload (Node, Deno, Bun). Absent in the browser build. */
  openPath?: (path: string | URL) => Promise<{ size: number; part: Part; name: string }>;
  /** Writes a stream of unknown size to a temp file (Node), for an upload that needs its length. */
  spool?: (chunks: AsyncIterable<Uint8Array>) => Promise<{ path: string; cleanup: () => Promise<void> }>;
  /** Streams an upload through `node:http(s)` with flat memory. Absent in the browser build. */
  httpSend?: (request: StreamedRequest) => Promise<Response>;
  /** Node: the default fetch for a `proxy` option (proxies from the environment when undefined). */
  fetch?: (
    proxy: string | false | undefined,
  ) => (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;
  /** Default `User-Agent`, where one may be set. */
  userAgent?: string;
}

/** Reads an environment variable where the runtime has them (Node, Bun, Deno); `undefined` in browsers. */
export function env(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env: { get(n: string): string | undefined } };
  };
  try {
    return g.process?.env?.[name] ?? g.Deno?.env.get(name);
  } catch {
    return undefined;
  }
}
