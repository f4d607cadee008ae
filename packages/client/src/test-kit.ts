import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import type { FetchLike } from "./transport.js";

/** Test helpers (not exported by the package): an emulator that answers with `x-request-id`, and a recorder. */
export const KEY = "sk_live_controlsKEY0123456789";
export const BASE = "http://emulator.test";
export const wav = createSampleWav({ seconds: 1 }) as Uint8Array<ArrayBuffer>;

/** A fast in-process emulator; `close` it after the test. */
export const emulator = (): Emulator => createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });

/**
 * The emulator's in-process fetch, recording every request (a clone) and adding
 * `x-request-id: req-<n>` to every answer, as real gateways do.
 */
export function recording(emu: Emulator): { fetch: FetchLike; requests: Request[] } {
  const requests: Request[] = [];
  let n = 0;
  const fetch: FetchLike = async (r) => {
    requests.push(r.clone());
    const res = await emu.fetch(r);
    const headers = new Headers(res.headers);
    headers.set("x-request-id", `req-${++n}`);
    return new Response(res.body, { status: res.status, headers });
  };
  return { fetch, requests };
}

/** True for a request to a signed storage URL of the emulator. */
export const isStorage = (r: Request): boolean => new URL(r.url).pathname.startsWith("/storage/");
