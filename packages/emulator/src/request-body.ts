import type { Context } from "hono";
import type { AppEnv } from "./context.js";
import { ApiError } from "./errors.js";
import { checkBodyDepth } from "./json-limits.js";

/** Largest JSON request body the API reads. */
export const JSON_BODY_LIMIT = 1024 * 1024;

const tooLarge = () =>
  new ApiError(413, "Request body too large: JSON bodies are limited to 1 MB", { connection: "close" });

/** The request's declared `Content-Length`, or undefined when absent or not a number. */
export function contentLength(c: Context<AppEnv>): number | undefined {
  const raw = c.req.header("content-length");
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

async function readLimited(body: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    let part: ReadableStreamReadResult<Uint8Array>;
    try {
      part = await reader.read();
    } catch {
      throw new ApiError(400, "The request body was interrupted");
    }
    if (part.done) break;
    total += part.value.length;
    if (total > JSON_BODY_LIMIT) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a JSON request body of at most 1 MB (413 past it, 400 when malformed) that must be an
 * object of bounded depth.
 */
export async function readJsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const declared = contentLength(c);
  if (declared !== undefined && declared > JSON_BODY_LIMIT) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) throw new ApiError(400, "Malformed JSON body: the request has no body");
  const text = await readLimited(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `Malformed JSON body: ${e instanceof SyntaxError ? e.message : "it could not be parsed"}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError(400, "The JSON body must be an object");
  }
  checkBodyDepth(value);
  return value as Record<string, unknown>;
}
