import { request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { env } from "./platform.js";

/** The first set variable among `names`. */
const firstEnv = (...names: string[]) => names.map(env).find((v) => v);

/** True when `NO_PROXY` (a comma- or space-separated list of hosts, domains, `host:port` or `*`) names the URL's host. */
export function noProxy(url: URL, list = firstEnv("no_proxy", "NO_PROXY") ?? ""): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return list
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === "*") return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase().replace(/^\[|\]$/g, "")) as RegExpExecArray;
      const name = (m[1] ?? "").replace(/^\*?\./, "").replace(/^\[|\]$/g, "");
      return (!m[2] || m[2] === port) && (host === name || host.endsWith(`.${name}`));
    });
}

/**
 * The proxy for `url`, as curl picks it: the `proxy` option when given (`false`: none), else
 * `HTTPS_PROXY` for https and `HTTP_PROXY` for http (either case), else `ALL_PROXY`; loopback
 * included, unless `NO_PROXY` names the host.
 */
export function proxyFor(url: URL, option?: string | false): URL | undefined {
  if (option === false) return undefined;
  const https = url.protocol === "https:";
  const chosen =
    option ||
    (https ? firstEnv("https_proxy", "HTTPS_PROXY") : firstEnv("http_proxy", "HTTP_PROXY")) ||
    firstEnv("all_proxy", "ALL_PROXY");
  if (!chosen || (!option && noProxy(url))) return undefined;
  return new URL(chosen.includes("://") ? chosen : `http://${chosen}`);
}

/** `Proxy-Authorization` for a proxy URL with credentials. */
export function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const id = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "Proxy-Authorization": `Basic ${Buffer.from(id).toString("base64")}` };
}

/**
 * Opens a tunnel to `target` through `proxy` with `CONNECT host:port`, then TLS over it
 * (for `https` targets, as curl does); calls `done` with the TLS socket or the error.
 */
export function tunnel(proxy: URL, target: URL, done: (err: Error | null, socket?: Socket) => void): void {
  const port = target.port || "443";
  const req = httpRequest({
    host: proxy.hostname.replace(/^\[|\]$/g, ""),
    port: proxy.port || 80,
    method: "CONNECT",
    path: `${target.hostname}:${port}`,
    headers: { Host: `${target.hostname}:${port}`, ...proxyAuth(proxy) },
  });
  req.on("connect", (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      return done(new Error(`the proxy ${proxy.host} refused CONNECT ${target.hostname}:${port} (${res.statusCode})`));
    }
    const tls = tlsConnect({ socket, servername: target.hostname.replace(/^\[|\]$/g, "") });
    tls.once("secureConnect", () => done(null, tls));
    tls.once("error", (e) => done(e));
  });
  req.on("error", (e) => done(e));
  req.end();
}
