import { SlngValidationError } from "./errors.js";

/** A lazily opened stream of bytes of known size (a file, or a caller's one-shot stream). */
export interface StreamPart {
  size: number;
  open(): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
  /** The same bytes as a lazily read Blob, when the source can give one (a file). */
  blob?: () => Promise<Blob>;
}

/** A piece of a request body. */
export type Part = Uint8Array | Blob | StreamPart;

/** An upload input, resolved: name, MIME type, size, bytes, and whether it can be sent twice. */
export interface Source {
  name: string;
  type: string;
  size: number;
  part: Part;
  /** False for a caller's stream: it can be read once, so a failed send is never retried. */
  replayable: boolean;
  /** Node: the file path, for `node:http` streaming. */
  path?: string;
  /** Removes what resolving the input made (a spooled temp file), once the upload is over. */
  cleanup?: (() => Promise<void>) | undefined;
}

/** 64 KiB (a literal: top-level arithmetic would keep it in bundles that never upload). */
const CHUNK = 65_536;

/** Byte length of a part. */
export const partSize = (p: Part): number => (p instanceof Uint8Array ? p.byteLength : p.size);

export async function* iterate(s: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if ("getReader" in s) {
    const reader = s.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  } else yield* s;
}

/** Yields the parts' bytes in order, in chunks of at most 64 KiB; checks each stream's declared size. */
export async function* chunks(parts: readonly Part[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    if (p instanceof Uint8Array) {
      for (let i = 0; i < p.byteLength; i += CHUNK) yield p.subarray(i, i + CHUNK);
      continue;
    }
    let seen = 0;
    for await (const c of iterate(p instanceof Blob ? (p.stream() as ReadableStream<Uint8Array>) : p.open())) {
      seen += c.byteLength;
      if (seen > p.size)
        throw new SlngValidationError(`the stream is longer than its declared size (${p.size} bytes)`, "file");
      yield c;
    }
    if (seen !== p.size)
      throw new SlngValidationError(`the stream ended after ${seen} bytes but its declared size is ${p.size}`, "file");
  }
}

/** A pull-based web stream of the parts: `onBytes` runs as each chunk is handed to the consumer (the sender). */
export function toWebStream(parts: readonly Part[], onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  const it = chunks(parts);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await it.next();
        if (done) controller.close();
        else {
          controller.enqueue(value);
          onBytes(value.byteLength);
        }
      },
      async cancel() {
        await it.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The file name as a `Content-Disposition` `filename` that any name survives (RFC 7578 §4.2):
 * UTF-8 as is, but `"` and every control character (line breaks, tab, ESC…) percent-encoded,
 * as browsers encode `"` and line breaks. `filename*` is not sent: RFC 7578 forbids it in
 * form data and common parsers (undici's) refuse a body that has it.
 */
const filenameParam = (name: string) =>
  `filename="${name.replace(/["\p{Cc}]/gu, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`)}"`;

/**
 * A `multipart/form-data` body: the text fields first, then the file. Built from parts, so a
 * file is never read into memory; `size` is exact, so `Content-Length` can be sent.
 */
export function multipart(
  fields: Record<string, string | undefined>,
  file: Source,
  boundary: string,
): { parts: Part[]; size: number; type: string } {
  let head = "";
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined)
      head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${filenameParam(file.name)}\r\nContent-Type: ${file.type}\r\n\r\n`;
  const encoder = new TextEncoder();
  const parts = [encoder.encode(head), file.part, encoder.encode(`\r\n--${boundary}--\r\n`)];
  return { parts, size: parts.reduce((n, p) => n + partSize(p), 0), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The MIME type for an audio format (a supported extension): `audio/<format>`, except mp3 and
 * mpeg (`audio/mpeg`) and the MPEG-4 containers m4a and mp4 (`audio/mp4`).
 */
export const mimeOf = (format: string): string =>
  `audio/${format === "mp3" ? "mpeg" : format === "m4a" ? "mp4" : format}`;
