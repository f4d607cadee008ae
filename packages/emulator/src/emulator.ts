import { createHash, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { MAX_INPUT_BYTES } from "@slng/types";
import type { Hono } from "hono";
import { buildApp, DROP_MARKER_HEADER } from "./app.js";
import type { EmulatorContext, Owner } from "./context.js";
import { normaliseCorsOrigins } from "./cors.js";
import { FaultInjector, type FaultKind, type FaultOptions } from "./faults.js";
import { answerClientError } from "./http-errors.js";
import { Signer } from "./signing.js";
import { Storage } from "./storage.js";
import { JobStore } from "./store.js";

/** The well-known demo key accepted when no keys are configured. */
export const DEFAULT_API_KEY: string = "slng-emulator-demo-key";

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Accepted API keys; default `[DEFAULT_API_KEY]`. */
  apiKeys?: string[];
  /**
   * Where uploads and outputs are stored; default a fresh temp dir removed on close(). A given
   * folder must be new, empty, or one the emulator made before (it holds a
   * `.slng-emulator-data-dir` marker): any other non-empty folder is refused with a
   * `DataDirError`, so a user's files are never removed. In a folder it made, what an earlier
   * run left under `inputs/`, `outputs/` and `tmp/` is removed at start (listed in
   * `removedAtStart` and logged); symbolic links are never followed.
   */
  dataDir?: string;
  /** Processing seconds per second of audio; default 0.1 (a 5-minute recording takes about 30 s). */
  rtf?: number;
  /** Minimum time spent in each non-terminal stage; default 400 ms (tests pass 0). */
  minStageMs?: number;
  /** If set, `expired_at` is set this long after completion (and the job's files are removed). */
  retentionSeconds?: number;
  /** Seeded random faults; default none. */
  faults?: FaultOptions;
  /** HMAC secret for storage URLs; default random per instance. */
  signingSecret?: string;
  /** Clock (ms since epoch), for tests; default `Date.now`. */
  now?: () => number;
  /**
   * Largest accepted input in bytes; default 1 GB (the API's limit, `MAX_INPUT_BYTES`). Lower it
   * to exercise 413 paths quickly in tests. The 413 message names the limit in force (the API's
   * documented "Maximum size is 1 GB." at the default).
   */
  maxInputBytes?: number;
  /**
   * Web origins allowed to call the emulator from a browser, e.g. `"http://localhost:5173"`, or
   * `"*"` for any; default none (no CORS headers, preflights refused), since a random page must
   * not drive a local emulator. Covers the API and the signed storage URLs.
   */
  corsOrigin?: string | string[];
  /** Receives one line per request, with signed-URL signatures redacted; default silent. */
  logger?: (line: string) => void;
}

/** A running emulator: in-process `fetch`, or served over HTTP with `listen()`. */
export interface Emulator {
  readonly app: Hono;
  /**
   * In-process handler: pass as `fetch` to a client; no port needed. Takes a `Request` (or, like
   * the global `fetch`, a URL and init).
   */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Serve over HTTP (@hono/node-server). host default 127.0.0.1, port 0 = a free one. */
  listen(opts?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Stop serving, abort work, remove the temp data dir (if it created it). Idempotent. */
  close(): Promise<void>;
  /** Force the next `count` (default 1) requests whose path matches `match` (default: any API request) to get `kind`. */
  forceFault(kind: FaultKind, opts?: { count?: number; match?: string | RegExp; latencyMs?: number }): void;
  /** The accepted API keys. */
  readonly apiKeys: readonly string[];
  /** Base URL once listening, else undefined. */
  readonly url: string | undefined;
  /** Where uploads and outputs are stored (a temp dir unless `dataDir` was given). */
  readonly dataDir: string;
  /** Leftovers of an earlier run removed from `dataDir` at start (paths relative to it). */
  readonly removedAtStart: readonly string[];
}

function ownerOf(key: string): Owner {
  const hash = createHash("sha256").update(`slng-emulator:${key}`).digest("hex");
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-${((Number.parseInt(hash.slice(16, 17), 16) & 3) | 8).toString(16)}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  return { id: `key${hash.slice(32, 48)}`, organisationId: uuid };
}

function checkNumber(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < min)) {
    throw new RangeError(`${name} must be a finite number ≥ ${min}`);
  }
}

function reportDataDir(storage: Storage, log: ((line: string) => void) | undefined): void {
  const { removed, skippedLinks } = storage.prepared;
  if (removed.length > 0) {
    log?.(`data dir ${storage.dir}: removed ${removed.length} leftover(s) of an earlier run: ${removed.join(", ")}`);
  }
  if (skippedLinks.length > 0) {
    log?.(`data dir ${storage.dir}: left symbolic links alone (not followed): ${skippedLinks.join(", ")}`);
  }
}

/**
 * Creates an emulator of SLNG's Batch API: every documented operation, status code, error
 * envelope and validation rule; uploads streamed to disk; a clock-derived job lifecycle;
 * synthetic, deterministic transcripts; signed storage URLs; and optional fault injection.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [DEFAULT_API_KEY];
  for (const key of apiKeys) {
    if (typeof key !== "string" || !/^\S+$/.test(key))
      throw new TypeError("every API key must be a non-empty string without spaces");
  }
  checkNumber("rtf", options.rtf, 0);
  checkNumber("minStageMs", options.minStageMs, 0);
  checkNumber("retentionSeconds", options.retentionSeconds, 0);
  checkNumber("maxInputBytes", options.maxInputBytes, 1);
  const corsOrigins = normaliseCorsOrigins(options.corsOrigin);
  const faults = new FaultInjector(options.faults);
  const storage = new Storage(options.dataDir);
  reportDataDir(storage, options.logger);
  const abort = new AbortController();
  let closed = false;
  let seq = 0;
  let server: Server | undefined;
  let url: string | undefined;

  const ctx: EmulatorContext = {
    store: new JobStore(),
    storage,
    signer: new Signer(options.signingSecret ?? randomBytes(32).toString("hex")),
    faults,
    owners: new Map(apiKeys.map((k) => [k, ownerOf(k)])),
    rtf: options.rtf ?? 0.1,
    maxInputBytes: options.maxInputBytes ?? MAX_INPUT_BYTES,
    minStageMs: options.minStageMs ?? 400,
    retentionSeconds: options.retentionSeconds,
    now: options.now ?? Date.now,
    log: options.logger,
    signal: abort.signal,
    isClosed: () => closed,
    corsOrigins,
    nextSeq: () => ++seq,
  };
  const app = buildApp(ctx);

  const emulator: Emulator = {
    app: app as unknown as Hono,
    apiKeys,
    dataDir: storage.dir,
    removedAtStart: storage.prepared.removed,
    get url() {
      return url;
    },
    async fetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const signal = request.signal;
      signal.throwIfAborted();
      const pending = Promise.resolve(app.fetch(request));
      const response = await new Promise<Response>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
      const dropped = response.headers.get(DROP_MARKER_HEADER);
      if (dropped) {
        await response.body?.cancel();
        const when = dropped === "lost" ? "after the request was applied" : "before the request was handled";
        throw new TypeError("fetch failed", {
          cause: Object.assign(
            new Error(`socket hang up (connection dropped by the emulator's fault injection, ${when})`),
            {
              code: "ECONNRESET",
            },
          ),
        });
      }
      return response;
    },
    listen(opts = {}) {
      if (closed) return Promise.reject(new Error("the emulator is closed"));
      if (server) return Promise.reject(new Error("the emulator is already listening"));
      const host = opts.host ?? "127.0.0.1";
      const s = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false, hostname: host }) as Server;
      s.on("clientError", answerClientError);
      server = s;
      return new Promise((resolve, reject) => {
        s.once("error", (e) => {
          server = undefined;
          reject(e);
        });
        s.listen(opts.port ?? 0, host, () => {
          const port = (s.address() as AddressInfo).port;
          url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
          resolve({ url, port });
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      abort.abort();
      const s = server;
      server = undefined;
      url = undefined;
      if (s) {
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await storage.dispose();
    },
    forceFault(kind, opts) {
      faults.force(kind, opts);
    },
  };
  return emulator;
}
