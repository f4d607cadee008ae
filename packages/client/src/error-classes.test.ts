import { describe, expect, it } from "vitest";
import {
  createSlngClient,
  SlngApiError,
  SlngAuthenticationError,
  SlngBadRequestError,
  SlngConflictError,
  SlngInternalServerError,
  SlngNotFoundError,
  SlngPayloadTooLargeError,
  SlngPermissionDeniedError,
  SlngRateLimitError,
} from "./node.js";
import { BASE, KEY } from "./test-kit.js";

const answering = (status: number, headers: Record<string, string> = {}) =>
  createSlngClient({
    apiKey: KEY,
    baseUrl: BASE,
    maxRetries: 0,
    fetch: async () =>
      new Response(JSON.stringify({ error: `failed ${status}` }), {
        status,
        headers: { "content-type": "application/json", "x-request-id": `r${status}`, ...headers },
      }),
  });

describe("errors by status", () => {
  it.each([
    [400, SlngBadRequestError, "bad_request", false],
    [401, SlngAuthenticationError, "unauthorized", false],
    [403, SlngPermissionDeniedError, "forbidden", false],
    [404, SlngNotFoundError, "not_found", false],
    [409, SlngConflictError, "conflict", false],
    [413, SlngPayloadTooLargeError, "payload_too_large", false],
    [429, SlngRateLimitError, "rate_limited", true],
    [500, SlngInternalServerError, "server_error", true],
    [503, SlngInternalServerError, "server_error", true],
  ] as const)("%i is %o with code %s", async (status, cls, code, retryable) => {
    const err = await answering(status)
      .jobs.get("abc")
      .catch((e) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(SlngApiError);
    expect(err.name).toBe(cls.name);
    expect(err).toMatchObject({ status, code, retryable, message: `failed ${status}`, requestId: `r${status}` });
    expect(err.headers.get("x-request-id")).toBe(`r${status}`);
  });

  it("any other status is a plain SlngApiError (http_error)", async () => {
    const err = await answering(418)
      .jobs.get("abc")
      .catch((e) => e);
    expect(err.constructor).toBe(SlngApiError);
    expect(err.code).toBe("http_error");
  });

  it("x-should-retry overrides the status in both directions", async () => {
    expect(
      await answering(400, { "x-should-retry": "true" })
        .jobs.get("abc")
        .catch((e) => e.retryable),
    ).toBe(true);
    expect(
      await answering(503, { "x-should-retry": "false" })
        .jobs.get("abc")
        .catch((e) => e.retryable),
    ).toBe(false);
  });
});
