import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "./faults.js";
import type { Signer } from "./signing.js";
import type { Storage } from "./storage.js";
import type { JobStore } from "./store.js";

/** The caller, resolved from the API key (the key itself is not kept). */
export interface Owner {
  /** Reported as `api_key_id`: a hash of the key, never the key. */
  id: string;
  organisationId: string;
}

/** Shared state of one emulator instance, used by the routes. */
export interface EmulatorContext {
  store: JobStore;
  storage: Storage;
  signer: Signer;
  faults: FaultInjector;
  owners: Map<string, Owner>;
  rtf: number;
  /** Largest accepted input in bytes (1 GB unless lowered for tests). */
  maxInputBytes: number;
  minStageMs: number;
  retentionSeconds: number | undefined;
  now: () => number;
  log: ((line: string) => void) | undefined;
  /** Aborted by close(): ends URL fetches and injected latency. */
  signal: AbortSignal;
  isClosed: () => boolean;
  /** Origins allowed to call from a browser (`*` for any); empty: no CORS. */
  corsOrigins: string[];
  nextSeq: () => number;
}

/** Hono environment: node-server bindings when served over HTTP (absent in-process), and the caller. */
export interface AppEnv {
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  Variables: { owner: Owner };
}
