import { createServer, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { createEmulator, type Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSlngClient, SlngNetworkError } from "./node.js";
import { noProxy, proxyFor } from "./proxy.js";
import { KEY, wav } from "./test-kit.js";

const open: { close(): unknown }[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A forward proxy in a few lines: absolute-URI requests are forwarded, CONNECT is tunnelled; `seen` lists both. */
async function forwardProxy() {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const out = request(req.url as string, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  server.on("connect", (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url as string).split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  open.push({ close: () => server.close() });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function servedEmulator(): Promise<{ emu: Emulator; url: string }> {
  const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
  open.push(emu);
  return { emu, url: (await emu.listen()).url };
}

describe("proxies (Node)", () => {
  it("HTTP_PROXY carries every API request, the multipart and presigned uploads and the download", async () => {
    const { url } = await servedEmulator();
    const proxy = await forwardProxy();
    vi.stubEnv("HTTP_PROXY", proxy.url);
    vi.stubEnv("NO_PROXY", "");
    const slng = createSlngClient({ apiKey: KEY, baseUrl: url });
    const a = await slng.jobs.create({ file: wav, filename: "a.wav" });
    await slng.jobs.create({ file: wav, filename: "b.wav", upload: "presign", jobId: "pre1" });
    await slng.jobs.wait(a.job_id, { minIntervalMs: 5 });
    await slng.jobs.download(a.job_id, "txt");
    const paths = proxy.seen.map((s) => s.replace(url, "").replace(/\?.*/, ""));
    expect(paths.slice(0, 4)).toEqual([
      "POST /v1/batch/jobs",
      "POST /v1/batch/jobs",
      "PUT /storage/inputs/pre1.wav",
      "POST /v1/batch/jobs",
    ]);
    expect(paths).toContain(`GET /v1/batch/jobs/${a.job_id}`);
    expect(paths.at(-1)).toMatch(/^GET \/storage\/outputs\//);
  });

  it("NO_PROXY naming the host, or proxy: false, bypasses it; the proxy option overrides the environment", async () => {
    const { url } = await servedEmulator();
    const proxy = await forwardProxy();
    vi.stubEnv("HTTP_PROXY", proxy.url);
    vi.stubEnv("NO_PROXY", "localhost,127.0.0.1");
    await createSlngClient({ apiKey: KEY, baseUrl: url }).jobs.listPage();
    await createSlngClient({ apiKey: KEY, baseUrl: url, proxy: false }).jobs.listPage();
    expect(proxy.seen).toEqual([]);
    vi.stubEnv("HTTP_PROXY", "http://127.0.0.1:9");
    await createSlngClient({ apiKey: KEY, baseUrl: url, proxy: proxy.url }).jobs.listPage();
    expect(proxy.seen).toEqual([`GET ${url}/v1/batch/jobs`]);
  });

  it("https goes through a CONNECT tunnel (here to a plain server, so TLS then fails)", async () => {
    const proxy = await forwardProxy();
    const target = createServer((_, res) => res.end()).listen(0, "127.0.0.1");
    open.push(target);
    await new Promise((r) => target.once("listening", r));
    const port = (target.address() as AddressInfo).port;
    vi.stubEnv("HTTPS_PROXY", proxy.url);
    vi.stubEnv("NO_PROXY", "");
    const slng = createSlngClient({ apiKey: KEY, baseUrl: `https://127.0.0.1:${port}`, maxRetries: 0 });
    await expect(slng.jobs.get("abc")).rejects.toBeInstanceOf(SlngNetworkError);
    await expect(slng.jobs.create({ file: wav, filename: "a.wav", maxRetries: 0 })).rejects.toBeInstanceOf(
      SlngNetworkError,
    );
    // The get, the create's upload, and the create's lookup of its job after the network error.
    expect(proxy.seen).toEqual(Array(3).fill(`CONNECT 127.0.0.1:${port}`));
  });

  it("reads the environment as curl does", () => {
    vi.stubEnv("HTTPS_PROXY", "proxy.corp:3128");
    vi.stubEnv("HTTP_PROXY", "");
    vi.stubEnv("NO_PROXY", ".internal.example, api.other:8443");
    expect(proxyFor(new URL("https://api.batch.slng.ai"))?.href).toBe("http://proxy.corp:3128/");
    expect(proxyFor(new URL("http://api.batch.slng.ai"))).toBeUndefined();
    expect(proxyFor(new URL("https://a.internal.example"))).toBeUndefined();
    expect(proxyFor(new URL("https://api.other:8443"))).toBeUndefined();
    expect(proxyFor(new URL("https://api.other"))?.host).toBe("proxy.corp:3128");
    expect(noProxy(new URL("http://x.test"), "*")).toBe(true);
  });
});
