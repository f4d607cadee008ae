import { ApiError } from "./errors.js";

/** Deepest nesting accepted in a JSON field (`transcription_config`, `metadata`, `tracking`, `output_config`). */
export const MAX_JSON_DEPTH = 32;
/** Largest accepted JSON field, as JSON text in UTF-8 bytes (64 KiB). */
export const MAX_JSON_FIELD_BYTES = 64 * 1024;

/** How deeply `value` nests (a scalar is 0, `{}` is 1), counted without recursion and stopping past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    const d = depth + 1;
    if (d > deepest) deepest = d;
    if (d > limit) return d;
    for (const child of Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, d]);
  }
  return deepest;
}

/**
 * Refuses a JSON body nested deeper than its fields may be (400), before anything walks it
 * recursively (validation messages, `JSON.stringify`).
 */
export function checkBodyDepth(body: unknown): void {
  if (jsonDepth(body, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH + 1)
    throw new ApiError(400, `The JSON body nests too deeply: its fields may nest at most ${MAX_JSON_DEPTH} levels`);
}

/**
 * Checks one JSON field against the limits ({@link MAX_JSON_DEPTH} levels, {@link MAX_JSON_FIELD_BYTES}
 * bytes) and returns a detached copy of it, so what is stored is known to serialize and cannot
 * be changed from outside. 400 naming the field and the limit otherwise.
 */
export function limitJsonField<T>(field: string, value: T): T {
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new ApiError(400, `${field} nests too deeply: at most ${MAX_JSON_DEPTH} levels of objects and arrays`);
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return value;
  if (Buffer.byteLength(text) > MAX_JSON_FIELD_BYTES)
    throw new ApiError(400, `${field} is too large: at most ${MAX_JSON_FIELD_BYTES / 1024} KiB of JSON`);
  return JSON.parse(text) as T;
}
