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

const UNITS: [number, string][] = [
  [1024 ** 3, "GB"],
  [1024 ** 2, "MB"],
  [1024, "KB"],
];

/**
 * The 413 text for an input over `limitBytes`: the API's documented "File too large. Maximum
 * size is 1 GB." at the default limit, and the real limit when it was lowered (e.g. in tests).
 */
export function tooLargeMessage(limitBytes: number): string {
  const unit = UNITS.find(([size]) => limitBytes % size === 0);
  const size = unit ? `${limitBytes / unit[0]} ${unit[1]}` : `${limitBytes} bytes`;
  return `File too large. Maximum size is ${size}.`;
}

/** The documented 413 text for inputs over 1 GB. */
export const TOO_LARGE_MESSAGE: string = tooLargeMessage(1024 ** 3);

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
