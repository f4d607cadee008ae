import { createReadStream, createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { chunks } from "./body.js";
import { SlngValidationError } from "./errors.js";
import type { Platform, StreamedRequest } from "./platform.js";
import { proxyAuth, proxyFor, tunnel } from "./proxy.js";
import type { FetchLike } from "./transport.js";
import { checkSize } from "./validate.js";

/**
 * Where a `node:http(s)` request for `url` goes: straight there, or through the proxy (for
 * http: to the proxy with the full URL as the path; for https: a `CONNECT` tunnel).
 */
function route(url: URL, proxy: string | false | undefined, options: RequestOptions) {
  const via = proxyFor(url, proxy);
  if (!via) return (url.protocol === "https:" ? httpsRequest : httpRequest)(url, options);
  if (url.protocol === "https:")
    return httpsRequest(url, {
      ...options,
      createConnection: (_: unknown, done: (e: Error | null, s?: unknown) => void) => void tunnel(via, url, done),
    } as RequestOptions);
  return httpRequest({
    ...options,
    host: via.hostname.replace(/^\[|\]$/g, ""),
    port: via.port || 80,
    path: url.href,
    headers: { ...options.headers, Host: url.host, ...proxyAuth(via) },
  });
}

/**
 * Sends a request through `node:http(s)`, streaming the body with backpressure (memory stays
 * flat for a 1 GB file, unlike Node 20's fetch) and an exact `Content-Length`. `onSent` runs
 * from each write's callback, so progress counts bytes handed to the socket. Resolves with
 * the response (body read, small) as soon as it arrives, even before the body is all sent.
 */
export function httpSend(r: StreamedRequest): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(r.url);
    const fail = (e: unknown) => reject(r.signal.aborted ? r.signal.reason : e);
    if (r.signal.aborted) return fail(undefined);
    const bodyless = r.size === 0 && /^(GET|HEAD|DELETE)$/.test(r.method);
    const req = route(url, r.proxy, {
      method: r.method,
      headers: {
        ...Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.toLowerCase() !== "content-length")),
        ...(bodyless ? {} : { "Content-Length": String(r.size) }),
      },
    });
    const onAbort = () => req.destroy(r.signal.reason instanceof Error ? r.signal.reason : new Error("aborted"));
    r.signal.addEventListener("abort", onAbort, { once: true });
    let done = false;
    req.on("error", (e) => {
      r.signal.removeEventListener("abort", onAbort);
      if (!done) fail(e);
    });
    req.on("response", (res: IncomingMessage) => {
      const body: Buffer[] = [];
      res.on("data", (c: Buffer) => body.push(c));
      res.on("error", fail);
      res.on("end", () => {
        done = true;
        r.signal.removeEventListener("abort", onAbort);
        const headers = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          headers.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
        const status = res.statusCode ?? 500;
        const empty = status === 204 || status === 304 || body.length === 0;
        resolve(new Response(empty ? null : Buffer.concat(body), { status, headers }));
        if (!req.writableFinished) req.destroy();
      });
    });
    (async () => {
      for await (const chunk of chunks(r.parts)) {
        if (req.destroyed) return;
        const n = chunk.byteLength;
        const ok = req.write(chunk, (e) => {
          if (!e) r.onSent(n);
        });
        if (!ok)
          await new Promise<void>((res) => {
            const go = () => {
              req.off("drain", go);
              req.off("close", go);
              res();
            };
            req.on("drain", go);
            req.on("close", go);
          });
      }
      if (!req.destroyed) req.end();
    })().catch((e) => {
      req.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

/**
 * How many bytes a file's read stream asks for at a time: 512 KiB, or the file's size and one
 * byte (to see its end) when smaller. Node allocates a fresh buffer of this size for every read,
 * outside the JavaScript heap but counted against it: 512 KiB per read of an 800-byte file made
 * a bulk run of small files allocate about 1 MB per input and kept V8 collecting all the time
 * under a small `--max-old-space-size`.
 */
const readSize = (size: number): number => Math.min(512 * 1024, size + 1);

/** Opens a file path or `file://` URL: its size, a reopenable read stream, its name. */
async function openPath(input: string | URL) {
  const path = input instanceof URL || input.startsWith("file:") ? fileURLToPath(input) : input;
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new SlngValidationError(
      e.code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}: ${e.code ?? e.message}`,
      "file",
    );
  });
  if (!info.isFile()) throw new SlngValidationError(`${path} is not a file`, "file");
  return {
    size: info.size,
    name: basename(path),
    part: {
      size: info.size,
      open: () => createReadStream(path, { highWaterMark: readSize(info.size) }),
      blob: () => openAsBlob(path),
    },
  };
}

/**
 * The default fetch in Node: the global `fetch`, except for URLs a proxy applies to (the
 * `proxy` option, else `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`), which go through `node:http`
 * and the proxy (bodies here are small JSON; uploads stream through `httpSend`).
 */
function proxiedFetch(proxy: string | false | undefined): FetchLike {
  return async (request, init) => {
    if (!proxyFor(new URL(request.url), proxy)) return globalThis.fetch(request, init);
    const body = new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return httpSend({
      url: request.url,
      method: request.method,
      headers,
      parts: body.byteLength ? [body] : [],
      size: body.byteLength,
      signal: init?.signal ?? request.signal,
      onSent: () => {},
      proxy,
    });
  };
}

declare const __SLNG_VERSION__: string;

/** `<runtime> <version>`: Bun, Deno or Node. */
function runtime(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  return `node ${process.versions.node}`;
}

/** `slng-client-js/<version> (<runtime> <version>; <os>; <arch>)`. */
export const USER_AGENT = `slng-client-js/${typeof __SLNG_VERSION__ === "string" ? __SLNG_VERSION__ : "0.0.0-dev"} (${runtime()}; ${process.platform}; ${process.arch})`;

/**
 * Writes a stream of unknown size to a private temp file, refusing it past the API's 1 GB
 * (`MAX_INPUT_BYTES`); `cleanup` removes it.
 */
async function spool(chunks: AsyncIterable<Uint8Array>) {
  const dir = await mkdtemp(join(tmpdir(), "slng-upload-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "input");
  let seen = 0;
  try {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const c of chunks) {
            seen += c.byteLength;
            checkSize(seen);
            yield c;
          }
        })(),
      ),
      createWriteStream(path, { mode: 0o600 }),
    );
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { path, cleanup };
}

/** The Node (and Deno, Bun) platform: file paths, `node:http` uploads, streamed fetch bodies, proxies. */
export const nodePlatform: Platform = {
  openPath,
  httpSend,
  spool,
  fetch: proxiedFetch,
  userAgent: USER_AGENT,
};
