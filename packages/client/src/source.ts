import { iterate, mimeOf, type Part, type Source } from "./body.js";
import { SlngValidationError } from "./errors.js";
import type { Platform } from "./platform.js";
import { audioFormat, checkSize } from "./validate.js";

/**
 * A caller's stream (a web `ReadableStream` or a Node stream / async iterable of bytes). With
 * `size` it is sent as it is read, once (a failed upload of it is never retried); without,
 * it is first spooled (Node: to a temp file, removed afterwards; browser: into memory).
 */
export interface StreamInput {
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  size?: number | undefined;
  filename: string;
}

/**
 * A file input of `createJob`: a path or `file://` URL (Node, Deno, Bun), Blob/File, bytes, a
 * stream, or a fetch `Response` (its body; named by `filename` or the URL's last segment).
 */
export type FileInput = string | URL | Blob | Uint8Array | ArrayBuffer | StreamInput | Response;

const isStream = (f: unknown): f is StreamInput =>
  !!f && typeof f === "object" && "stream" in f && !(f instanceof Blob);

/** All of a stream's bytes, in memory. */
async function collect(stream: StreamInput["stream"]): Promise<Blob> {
  const parts: Uint8Array[] = [];
  for await (const c of iterate(stream)) parts.push(c);
  return new Blob(parts as BlobPart[]);
}

/**
 * A `File` from bytes, a Blob, a stream or a `Response`, read into memory: for inputs that need a
 * name (`createJob({ file: await toFile(stream, "a.wav") })`). Large inputs are better passed as
 * a path or `{ stream, filename }`.
 */
export async function toFile(
  value: Blob | Uint8Array | ArrayBuffer | StreamInput["stream"] | Response,
  filename: string,
  options: { type?: string } = {},
): Promise<File> {
  const blob =
    value instanceof Blob || value instanceof Uint8Array || value instanceof ArrayBuffer
      ? value
      : value instanceof Response
        ? await value.blob()
        : await collect(value);
  return new File([blob as BlobPart], filename, options);
}

/** A `Response` as a stream input: its body, its `Content-Length` when not encoded, its URL's name. */
function fromResponse(r: Response, filename: string | undefined): StreamInput {
  if (!r.ok || !r.body)
    throw new SlngValidationError(
      `the Response to upload is ${r.status} ${r.statusText}: pass a successful one`,
      "file",
    );
  const length = r.headers.get("content-length");
  return {
    stream: r.body as ReadableStream<Uint8Array>,
    size: length && !r.headers.get("content-encoding") ? Number(length) : undefined,
    filename: filename ?? decodeURIComponent(new URL(r.url || "x:/").pathname.split("/").pop() ?? ""),
  };
}

/** A caller's one-shot stream as a part that refuses to be read twice. */
function oneShot(f: Required<StreamInput>): Part {
  let used = false;
  const stream = f.stream;
  return {
    size: f.size,
    open() {
      if (used)
        throw new SlngValidationError("the stream was already read; pass a file path or bytes to retry", "file");
      used = true;
      return stream;
    },
  };
}

/**
 * Resolves a file input into name, MIME type, size and bytes, checking the extension and the
 * size before any request. File paths need the platform's `openPath` (absent in browsers).
 */
export async function resolveSource(
  platform: Platform,
  f: FileInput | undefined,
  filename: string | undefined,
): Promise<Source> {
  let name = filename;
  let part: Part;
  let type = "";
  let replayable = true;
  let cleanup: (() => Promise<void>) | undefined;
  if (typeof Response !== "undefined" && f instanceof Response) f = fromResponse(f, filename);
  if (isStream(f) && f.size === undefined) {
    name ??= f.filename;
    if (platform.spool) {
      const spooled = await platform.spool(iterate(f.stream));
      f = spooled.path;
      cleanup = spooled.cleanup;
    } else f = await collect(f.stream);
  }
  if (typeof f === "string" || f instanceof URL) {
    if (!platform.openPath)
      throw new SlngValidationError("file paths need Node, Deno or Bun; in a browser pass a File or Blob", "file");
    const opened = await platform.openPath(f);
    part = opened.part;
    if (!cleanup) name ??= opened.name;
  } else if (f instanceof Blob) {
    part = f;
    type = f.type;
    name ??= (f as File).name;
  } else if (f instanceof Uint8Array || f instanceof ArrayBuffer) {
    part = f instanceof Uint8Array ? f : new Uint8Array(f);
  } else if (f && typeof f === "object" && "stream" in f) {
    part = oneShot(f as Required<StreamInput>);
    name ??= f.filename;
    replayable = false;
  } else
    throw new SlngValidationError(
      "file must be a path, file:// URL, Blob/File, Uint8Array, ArrayBuffer, Response or { stream, filename }",
      "file",
    );
  if (!name)
    throw new SlngValidationError(
      "pass filename (with its extension, e.g. meeting.wav) for bytes or a Blob",
      "filename",
    );
  try {
    const format = audioFormat(name);
    const size = checkSize(part instanceof Uint8Array ? part.byteLength : part.size);
    return { name, type: type || mimeOf(format), size, part, replayable, cleanup };
  } catch (e) {
    await cleanup?.();
    throw e;
  }
}
