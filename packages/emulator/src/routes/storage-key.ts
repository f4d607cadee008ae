import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { isValidKey } from "../storage.js";

/**
 * The storage key of a `/storage/<key>` request: one of the emulator's own key shapes (404
 * otherwise), and never with an Authorization header (signed URLs carry their own credentials).
 */
export function storageKey(c: Context<AppEnv>): string {
  if (c.req.header("authorization") !== undefined) {
    throw new ApiError(
      400,
      "Storage requests must not carry an Authorization header: signed URLs carry their own credentials (never send your API key to storage)",
    );
  }
  const raw = new URL(c.req.url).pathname.slice("/storage/".length);
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new ApiError(404, "No such key");
  }
  if (!isValidKey(key)) throw new ApiError(404, "No such key");
  return key;
}
