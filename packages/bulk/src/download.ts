import { redactUrl, SlngApiError, SlngNetworkError } from "@slng/client";

type FetchLike = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/**
 * GETs one signed output URL (no API key: storage URLs are fetched bare) and returns the
 * response, its body unread, so the caller can stream it to disk (keep the `Response` referenced
 * until the body is read: undici cancels the body of a collected response). Non-2xx answers become {@link SlngApiError}
 * (403 = the link expired), failures to connect {@link SlngNetworkError}; both name the URL with
 * its signature redacted. `onRequest` is told of every attempt (for request counting).
 */
export async function fetchOutput(
  url: string,
  fetchImpl: FetchLike | undefined,
  signal: AbortSignal,
  onRequest: () => void,
): Promise<Response> {
  const label = `GET ${redactUrl(url)}`;
  onRequest();
  let res: Response;
  try {
    const req = new Request(url, { signal });
    res = await (fetchImpl ? fetchImpl(req, { signal }) : globalThis.fetch(req));
  } catch (e) {
    throw new SlngNetworkError(`${label} failed: ${redactUrl(e instanceof Error ? e.message : String(e))}`, {
      cause: e,
    });
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => "");
    let message = `${label} answered ${res.status}`;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === "string") message = `${parsed.error} (${label})`;
    } catch {}
    throw new SlngApiError(redactUrl(message), { status: res.status, request: label });
  }
  return res;
}
