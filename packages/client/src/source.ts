import { mimeOf, type Part, type Source } from "./body.js";
import { SlngValidationError } from "./errors.js";
import type { Platform } from "./platform.js";
import { audioFormat, checkSize } from "./validate.js";

/** A caller's stream of known size; read once, so a failed upload of it is never retried. */
export interface StreamInput {
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  size: number;
  filename: string;
}

/** A file input of `createJob`: a path (Node, Deno, Bun), Blob/File, bytes, or a stream. */
export type FileInput = string | Blob | Uint8Array | ArrayBuffer | StreamInput;

/** A caller's one-shot stream as a part that refuses to be read twice. */
function oneShot(f: StreamInput): Part {
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
  if (typeof f === "string") {
    if (!platform.openPath)
      throw new SlngValidationError("file paths need Node, Deno or Bun; in a browser pass a File or Blob", "file");
    const opened = await platform.openPath(f);
    part = opened.part;
    name ??= opened.name;
  } else if (f instanceof Blob) {
    part = f;
    type = f.type;
    name ??= (f as File).name;
  } else if (f instanceof Uint8Array || f instanceof ArrayBuffer) {
    part = f instanceof Uint8Array ? f : new Uint8Array(f);
  } else if (f && typeof f === "object" && "stream" in f) {
    part = oneShot(f);
    name ??= f.filename;
    replayable = false;
  } else
    throw new SlngValidationError(
      "file must be a path, Blob/File, Uint8Array, ArrayBuffer or { stream, size, filename }",
      "file",
    );
  if (!name)
    throw new SlngValidationError(
      "pass filename (with its extension, e.g. meeting.wav) for bytes or a Blob",
      "filename",
    );
  const format = audioFormat(name);
  const size = checkSize(part instanceof Uint8Array ? part.byteLength : part.size);
  return { name, type: type || mimeOf(format), size, part, replayable };
}
