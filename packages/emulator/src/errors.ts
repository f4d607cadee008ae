/**
 * An error that becomes an HTTP response with the API's error envelope `{"error": "..."}`.
 * Thrown by validation and handlers; the app turns it into a response (never a stack trace).
 */
export class ApiError extends Error {
  /** HTTP status code of the response. */
  readonly status: number;
  /** Extra response headers (e.g. `Retry-After`, `Connection: close`). */
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.headers = headers;
  }
}

/** The documented 413 text for inputs over 1 GB. */
export const TOO_LARGE_MESSAGE = "File too large. Maximum size is 1 GB.";

/** Builds a JSON error-envelope response. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Builds a JSON response. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
