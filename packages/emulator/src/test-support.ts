/**
 * Test support (not part of the published build): a contract-checking wrapper around the
 * emulator's fetch, used by every test, and small request helpers.
 */
import { matchPath, spec, validateResponse, validateSchema } from "@slng/contract";
import { afterEach } from "vitest";
import { createEmulator, DEFAULT_API_KEY, type Emulator, type EmulatorOptions } from "./index.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
type Json = any;

/** Base URL used for in-process requests. */
export const BASE = "http://emulator.test";

/** Every response the suite saw, by `METHOD path status`, for a coverage check. */
export const seen = new Set<string>();

/**
 * Validates a response against the spec: API paths by operation (status declared, body
 * schema), storage and injected-fault responses by the error envelope. Throws on a mismatch.
 */
export async function checkContract(method: string, url: string, res: Response): Promise<void> {
  const { pathname } = new URL(url);
  const type = res.headers.get("content-type") ?? "";
  const text = await res.clone().text();
  const body = type.includes("json") && text ? JSON.parse(text) : text;
  seen.add(
    `${method} ${pathname.startsWith("/v1/") ? pathname.replace(/\/jobs\/[^/]+/, "/jobs/{id}") : "/storage"} ${res.status}`,
  );
  if (res.status >= 400) {
    if (!type.startsWith("application/json"))
      throw new Error(`${method} ${pathname} ${res.status}: error without a JSON body`);
    const envelope = validateSchema("Error", body);
    if (!envelope.ok)
      throw new Error(`${method} ${pathname} ${res.status}: bad error envelope ${envelope.errors.join("; ")}`);
    if (/\bat .+:\d+:\d+/.test(text)) throw new Error(`${method} ${pathname}: stack trace in the body`);
  }
  // Paths outside the spec (storage, unknown routes) are checked by their error envelope above.
  const template = matchPath(pathname);
  if (!template || !spec.paths[template]?.[method.toLowerCase()]) return;
  const result = validateResponse(method, pathname, res.status, body, type || "application/json");
  if (!result.ok) throw new Error(`${method} ${pathname} ${res.status} violates the spec: ${result.errors.join("; ")}`);
}

/** A fetch that runs `inner` and validates the response against the contract. */
export function contractFetch(inner: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return async (req) => {
    const method = req.method;
    const url = req.url;
    const res = await inner(req);
    await checkContract(method, url, res);
    return res;
  };
}

/** Options of {@link TestApi.call}. */
export interface CallOptions {
  key?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/** An emulator with a contract-checked in-process fetch and helpers. */
export interface TestApi {
  emu: Emulator;
  fetch: (req: Request) => Promise<Response>;
  call: (method: string, path: string, opts?: CallOptions) => Promise<{ status: number; body: Json; res: Response }>;
  upload: (
    file: Uint8Array | Blob,
    fields?: Record<string, string>,
    opts?: { key?: string; filename?: string },
  ) => Promise<{ status: number; body: Json }>;
  waitFor: (id: string, statuses: string[], key?: string) => Promise<Json>;
}

/** Creates an emulator (fast lifecycle unless overridden) with contract-checked helpers. */
export function testApi(options: EmulatorOptions = {}): TestApi {
  const emu = createEmulator({ minStageMs: 0, rtf: 0, ...options });
  const fetch = contractFetch((r) => emu.fetch(r));
  const call: TestApi["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? (options.apiKeys?.[0] ?? DEFAULT_API_KEY) : opts.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] ??= "application/json";
    }
    const url = path.startsWith("http") ? path : `${BASE}${path}`;
    const res = await fetch(new Request(url, { method, headers, body }));
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, body: type.includes("json") && text ? JSON.parse(text) : text, res };
  };
  const upload: TestApi["upload"] = async (file, fields = { transcription_config: '{"language":"en"}' }, opts = {}) => {
    const form = new FormData();
    form.set("file", file instanceof Blob ? file : new Blob([file as BlobPart]), opts.filename ?? "sample.wav");
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const r = await call("POST", "/v1/batch/jobs", { body: form, ...(opts.key ? { key: opts.key } : {}) });
    return { status: r.status, body: r.body };
  };
  const waitFor: TestApi["waitFor"] = async (id, statuses, key) => {
    for (let i = 0; i < 400; i++) {
      const r = await call("GET", `/v1/batch/jobs/${id}`, key ? { key } : {});
      if (statuses.includes(r.body.status)) return r.body;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`job ${id} never reached ${statuses.join("/")}`);
  };
  return { emu, fetch, call, upload, waitFor };
}

/** A minimal CBR MP3 (MPEG-1 layer III, 128 kbit/s, 44.1 kHz): `frames` silent frames (~26 ms each). */
export function sampleMp3(frames = 100): Uint8Array {
  const out = new Uint8Array(417 * frames);
  for (let i = 0; i < frames; i++) out.set([0xff, 0xfb, 0x90, 0x64], i * 417);
  return out;
}

/** A FLAC header (STREAMINFO only) claiming `seconds` of 16 kHz mono audio. */
export function sampleFlac(seconds = 2): Uint8Array {
  const b = new Uint8Array(42);
  b.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, 0x10, 0, 0x10, 0]);
  const v = (16000n << 44n) | (15n << 36n) | BigInt(seconds * 16000);
  for (let i = 0; i < 8; i++) b[18 + i] = Number((v >> BigInt(8 * (7 - i))) & 0xffn);
  return b;
}

/** A {@link testApi} factory whose emulators are closed after each test of the calling file. */
export function testApisClosedAfterEach(): (options?: EmulatorOptions) => TestApi {
  const apis: TestApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((a) => a.emu.close()));
  });
  return (options) => {
    const api = testApi(options);
    apis.push(api);
    return api;
  };
}
