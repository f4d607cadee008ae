import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { ApiError } from "./errors.js";
import { type Storage, TooLargeError } from "./storage.js";

/** The uploaded file of a multipart request, already on disk under `tmp/`. */
export interface ReceivedFile {
  path: string;
  size: number;
  filename: string | undefined;
  mimeType: string | undefined;
}

/** Fields (as text) and the file of a multipart request. */
export interface MultipartResult {
  fields: Record<string, string>;
  file: ReceivedFile | undefined;
}

const FIELD_LIMIT = 1024 * 1024;

/**
 * Streams a `multipart/form-data` body: the part named `fileField` goes straight to a temp file
 * (never into memory) and is cut off with 413 past `limit` bytes; text fields are collected and
 * handed to `onField` as they arrive so a bad field stops the upload early. Malformed bodies,
 * duplicate or unexpected parts answer 400. On failure the temp file is removed.
 */
export function receiveMultipart(
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
  storage: Storage,
  limit: number,
  fileField: string,
  onField: (name: string, value: string) => void,
): Promise<MultipartResult> {
  return new Promise((resolve, reject) => {
    if (!body) {
      reject(new ApiError(400, "Malformed multipart body: the request has no body"));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        limits: { fileSize: limit + 1, files: 1, fields: 32, parts: 40, fieldSize: FIELD_LIMIT, fieldNameSize: 200 },
        defParamCharset: "utf8",
      });
    } catch (e) {
      reject(new ApiError(400, `Malformed multipart body: ${e instanceof Error ? e.message : "unreadable"}`));
      return;
    }
    const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    const fields: Record<string, string> = {};
    let fileStream: Readable | undefined;
    let fileWrite: Promise<ReceivedFile> | undefined;
    let failed = false;

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.unpipe(parser);
      source.destroy();
      fileStream?.destroy(err instanceof Error ? err : new Error("upload aborted"));
      const done = () => reject(err);
      if (fileWrite) {
        fileWrite.then(async (f) => {
          await import("node:fs/promises").then((fs) => fs.rm(f.path, { force: true }));
          done();
        }, done);
      } else done();
    };

    parser.on("field", (name, value, info) => {
      if (failed) return;
      if (info.nameTruncated) return fail(new ApiError(400, "Malformed multipart body: a field name is too long"));
      if (info.valueTruncated) return fail(new ApiError(400, `Field '${name}' is too large (at most 1 MB)`));
      if (name === fileField) {
        return fail(
          new ApiError(
            400,
            `'${fileField}' must be a file part with a filename (e.g. curl -F ${fileField}=@audio.wav)`,
          ),
        );
      }
      if (Object.hasOwn(fields, name))
        return fail(new ApiError(400, `Field '${name.slice(0, 60)}' was sent more than once`));
      fields[name] = value;
      try {
        onField(name, value);
      } catch (e) {
        fail(e);
      }
    });
    parser.on("file", (name, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      if (name !== fileField) {
        stream.resume();
        return fail(
          new ApiError(400, `Unexpected file part '${name.slice(0, 60)}': send the audio in the '${fileField}' field`),
        );
      }
      fileStream = stream;
      stream.on("limit", () => fail(new TooLargeError(limit)));
      const path = storage.tempPath();
      fileWrite = storage.writeStream(stream, path, limit).then((size) => ({
        path,
        size,
        filename: info.filename,
        mimeType: info.mimeType,
      }));
      fileWrite.catch(fail);
    });
    parser.on("filesLimit", () => fail(new ApiError(400, `Send exactly one file, in the '${fileField}' field`)));
    parser.on("fieldsLimit", () => fail(new ApiError(400, "Too many form fields")));
    parser.on("partsLimit", () => fail(new ApiError(400, "Too many form parts")));
    parser.on("error", (e) =>
      fail(new ApiError(400, `Malformed multipart body: ${e instanceof Error ? e.message : "unreadable"}`)),
    );
    parser.on("close", () => {
      if (failed) return;
      (fileWrite ?? Promise.resolve(undefined)).then((file) => {
        if (failed) return;
        resolve({ fields, file });
      }, fail);
    });
    source.on("error", () => fail(new ApiError(400, "The upload was interrupted before the body was complete")));
    source.pipe(parser);
  });
}
