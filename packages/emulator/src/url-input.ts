import { isIP } from "node:net";
import { ApiError, tooLargeMessage } from "./errors.js";
import type { Storage } from "./storage.js";
import { quote } from "./validation.js";

/** True for loopback host names and addresses (`localhost`, 127.0.0.0/8, ::1). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

/**
 * Checks `input_url`: an absolute `https://` URL, or `http://` for loopback hosts only (so tests
 * can serve audio locally). 400 with the rule otherwise.
 */
export function validateInputUrl(value: unknown): URL {
  if (typeof value !== "string" || !value.trim())
    throw new ApiError(400, "input_url is required: an https:// URL of the audio");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiError(400, `input_url ${quote(value)} is not a valid URL`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new ApiError(
    400,
    "input_url must be an https:// URL (the emulator also accepts http:// for loopback hosts such as 127.0.0.1)",
  );
}

/** What was fetched from an input URL. */
export interface FetchedInput {
  size: number;
  filename: string | undefined;
  contentType: string | undefined;
}

/**
 * Fetches the audio at `url` straight to `path` (streamed, never held in memory), following up
 * to 5 redirects that obey the same URL rule. 413 past 1 GB (from Content-Length or while
 * streaming); 400 when the URL cannot be fetched.
 */
export async function fetchToFile(
  url: URL,
  path: string,
  storage: Storage,
  signal: AbortSignal,
  limit: number,
): Promise<FetchedInput> {
  let current = url;
  for (let hop = 0; hop <= 5; hop++) {
    let res: Response;
    try {
      res = await fetch(current, {
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(120_000)]),
      });
    } catch (e) {
      const cause =
        e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : "";
      throw new ApiError(400, `Could not fetch input_url: ${cause || "the request failed"}`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel();
      try {
        current = validateInputUrl(new URL(res.headers.get("location") as string, current).toString());
      } catch {
        throw new ApiError(400, "Could not fetch input_url: it redirects to a URL that is not https://");
      }
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new ApiError(400, `Could not fetch input_url: the server answered ${res.status}`);
    }
    const length = Number(res.headers.get("content-length"));
    if (Number.isFinite(length) && length > limit) {
      await res.body.cancel();
      throw new ApiError(413, tooLargeMessage(limit));
    }
    let size: number;
    try {
      size = await storage.writeStream(res.body, path, limit);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(400, "Could not fetch input_url: the download was interrupted");
    }
    const segment = current.pathname.split("/").pop();
    let filename: string | undefined;
    try {
      filename = segment ? decodeURIComponent(segment) : undefined;
    } catch {
      filename = segment;
    }
    return { size, filename, contentType: res.headers.get("content-type") ?? undefined };
  }
  throw new ApiError(400, "Could not fetch input_url: too many redirects");
}
