import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHttpFetch } from "./http-fetch.js";

let server: Server;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  server.on("connection", (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("createHttpFetch", () => {
  it("answers as fetch does: status, headers, body and url; sends the request's headers", async () => {
    handler = (req, res) => {
      res.setHeader("x-seen", String(req.headers.authorization));
      res.writeHead(201, "Made", { "content-type": "application/json" }).end('{"ok":true}');
    };
    const res = await createHttpFetch()(new Request(`${base}/a`, { headers: { Authorization: "Bearer k" } }));
    expect([res.status, res.statusText, res.ok, res.url]).toEqual([201, "Made", true, `${base}/a`]);
    expect(res.headers.get("x-seen")).toBe("Bearer k");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("keeps one connection alive across requests", async () => {
    handler = (_req, res) => res.end("x");
    const f = createHttpFetch();
    await (await f(`${base}/warm`)).text();
    const before = sockets.size;
    for (let i = 0; i < 3; i++) expect(await (await f(`${base}/b`)).text()).toBe("x");
    expect(sockets.size).toBe(before);
  });

  it("gives error statuses with their body, 204 with none, and decodes a gzip body", async () => {
    const f = createHttpFetch();
    handler = (_req, res) => res.writeHead(404).end('{"error":"nope"}');
    const missing = await f(`${base}/c`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: "nope" }]);
    handler = (_req, res) => res.writeHead(204).end();
    const empty = await f(`${base}/d`, { method: "DELETE" });
    expect([empty.status, empty.body]).toEqual([204, null]);
    handler = (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync('{"z":1}'));
    expect(await (await f(`${base}/e`)).json()).toEqual({ z: 1 });
  });

  it("sends requests with a body, and redirects, through the fallback fetch", async () => {
    const fallback = vi.fn(async () => new Response("fallback"));
    const f = createHttpFetch(fallback);
    expect(await (await f(`${base}/p`, { method: "POST", body: "{}" })).text()).toBe("fallback");
    handler = (_req, res) => res.writeHead(302, { location: "/elsewhere" }).end();
    expect(await (await f(`${base}/r`)).text()).toBe("fallback");
    expect(fallback).toHaveBeenCalledTimes(2);
  });

  it("fails as fetch does: a TypeError whose cause names the socket error", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await createHttpFetch()(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it("rejects with the signal's reason on abort, before or during the request", async () => {
    const f = createHttpFetch();
    const reason = new Error("stop");
    await expect(f(`${base}/x`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    handler = () => {}; // never answers
    const ctl = new AbortController();
    const pending = f(new Request(`${base}/slow`), { signal: ctl.signal });
    setTimeout(() => ctl.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it("sends again once when a reused keep-alive socket is reset (the server closed it as we sent)", async () => {
    const f = createHttpFetch();
    handler = (_req, res) => res.end("first");
    await (await f(`${base}/k`)).text();
    let resets = 0;
    handler = (req, res) => {
      if (resets++ === 0) req.socket.destroy();
      else res.end("again");
    };
    expect(await (await f(`${base}/k`)).text()).toBe("again");
    expect(resets).toBe(2);
  });
});
