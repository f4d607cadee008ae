import { describe, expect, it, vi } from "vitest";
import { SlngAbortError, SlngNetworkError, SlngTimeoutError } from "./errors.js";
import { backoff, parseRetryAfter, type RetryInfo, retryingFetch, send, type Transport } from "./transport.js";

function transport(fetch: (r: Request) => Promise<Response>, extra: Partial<Transport> = {}): Transport {
  return {
    fetch,
    maxRetries: 3,
    timeoutMs: 1000,
    log: {},
    scrub: (s) => s,
    random: () => 0,
    headers: {},
    mw: [],
    guard: () => {},
    ...extra,
  };
}

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("is full jitter capped at 8 s", () => {
    expect(backoff(0, () => 0.999)).toBeLessThan(500);
    expect(backoff(3, () => 0.5)).toBe(2000);
    expect(backoff(10, () => 0.999)).toBeLessThan(8000);
    expect(backoff(2, () => 0)).toBe(0);
  });
});

describe("retryingFetch", () => {
  it("retries 503/429/network on GET with a fresh request each attempt, honouring Retry-After", async () => {
    const seen: Request[] = [];
    let n = 0;
    const f = retryingFetch(
      transport(async (r) => {
        seen.push(r);
        n++;
        if (n === 1) return new Response("{}", { status: 503, headers: { "retry-after": "0.05" } });
        if (n === 2) throw new TypeError("fetch failed");
        if (n === 3) return new Response("{}", { status: 429 });
        return Response.json({ ok: true });
      }),
    );
    const started = Date.now();
    const res = await f(new Request("http://x.test/a", { headers: { a: "1" } }));
    expect(await res.json()).toEqual({ ok: true });
    expect(n).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    for (const r of seen) expect(r.headers.get("a")).toBe("1");
  });

  it("sends a fresh clone of a request with a body on each attempt (PUT)", async () => {
    const bodies: string[] = [];
    const f = retryingFetch(
      transport(async (r) => {
        bodies.push(await r.text());
        return new Response("", { status: bodies.length < 3 ? 503 : 200 });
      }),
    );
    expect((await f(new Request("http://x.test/a", { method: "PUT", body: "payload" }))).status).toBe(200);
    expect(bodies).toEqual(["payload", "payload", "payload"]);
  });

  it("does not retry 400/403/404/409/413", async () => {
    for (const status of [400, 403, 404, 409, 413]) {
      let n = 0;
      const f = retryingFetch(
        transport(async () => {
          n++;
          return new Response("{}", { status });
        }),
      );
      expect((await f(new Request("http://x.test/a"))).status).toBe(status);
      expect(n).toBe(1);
    }
  });

  it("never retries a POST (create has its own exactly-once logic)", async () => {
    let n = 0;
    const f = retryingFetch(
      transport(async () => {
        n++;
        return new Response("{}", { status: 500 });
      }),
    );
    const res = await f(new Request("http://x.test/a", { method: "POST", body: "{}" }));
    expect(res.status).toBe(500);
    expect(n).toBe(1);
  });

  it("gives up after maxRetries and returns the last response", async () => {
    let n = 0;
    const f = retryingFetch(
      transport(
        async () => {
          n++;
          return new Response("{}", { status: 500 });
        },
        { maxRetries: 2 },
      ),
    );
    expect((await f(new Request("http://x.test/a"))).status).toBe(500);
    expect(n).toBe(3);
  });

  it("wraps a persistent network failure into SlngNetworkError with the inner cause", async () => {
    const f = retryingFetch(
      transport(async () => {
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
        });
      }),
    );
    const err = await f(new Request("http://x.test/a")).catch((e) => e);
    expect(err).toBeInstanceOf(SlngNetworkError);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("ECONNREFUSED");
    expect((err.cause as { code: string }).code).toBe("ECONNREFUSED");
  });

  it("times out each attempt, even when the fetch ignores its signal", async () => {
    let n = 0;
    const f = retryingFetch(
      transport(
        () => {
          n++;
          return new Promise<Response>(() => {});
        },
        { timeoutMs: 30, maxRetries: 1 },
      ),
    );
    const err = await f(new Request("http://x.test/a")).catch((e) => e);
    expect(err).toBeInstanceOf(SlngTimeoutError);
    expect(err.code).toBe("timeout");
    expect(n).toBe(2);
  });

  it("restarts an upload's timeout at each progress, and names a stall as one", async () => {
    const t = transport(async () => new Response("x"), { timeoutMs: 100 });
    const opts = { retries: 0, timeoutMs: 100, timeoutWords: "made no progress for" };
    // Steady progress for 3 × the timeout: never a stall.
    const steady = await send(
      t,
      "PUT https://s.test/o",
      (_, progress) =>
        new Promise<Response>((resolve) => {
          let ticks = 0;
          const timer = setInterval(() => {
            progress();
            if (++ticks === 30) {
              clearInterval(timer);
              resolve(new Response(null, { status: 200 }));
            }
          }, 10);
        }),
      opts,
    );
    expect(steady.status).toBe(200);
    const stalled = await send(t, "PUT https://s.test/o", () => new Promise<Response>(() => {}), opts).catch((e) => e);
    expect(stalled).toBeInstanceOf(SlngTimeoutError);
    expect(stalled.message).toBe("PUT https://s.test/o made no progress for 100 ms");
  });

  it("does not retry when Retry-After exceeds 60 s", async () => {
    let n = 0;
    const f = retryingFetch(
      transport(async () => {
        n++;
        return new Response("{}", { status: 429, headers: { "retry-after": "120" } });
      }),
    );
    expect((await f(new Request("http://x.test/a"))).status).toBe(429);
    expect(n).toBe(1);
  });
});

describe("send", () => {
  it("rejects as soon as it is aborted, during the attempt or the backoff", async () => {
    vi.useFakeTimers();
    try {
      const t = transport(() => new Promise<Response>(() => {}), { timeoutMs: 0 });
      const ctl = new AbortController();
      const p = send(t, "GET x", (s) => t.fetch(new Request("http://x.test", { signal: s })), {
        signal: ctl.signal,
        retries: 3,
        timeoutMs: 0,
      });
      const settled = vi.fn();
      p.then(settled, settled);
      setTimeout(() => ctl.abort(), 10);
      await vi.advanceTimersByTimeAsync(10);
      expect(settled).toHaveBeenCalledOnce();
      await expect(p).rejects.toBeInstanceOf(SlngAbortError);

      let attempts = 0;
      const ctl2 = new AbortController();
      const t2 = transport(async () => {
        attempts++;
        return new Response("", { status: 503, headers: { "retry-after": "30" } });
      });
      const p2 = send(t2, "GET x", (s) => t2.fetch(new Request("http://x.test", { signal: s })), {
        signal: ctl2.signal,
        retries: 3,
        timeoutMs: 0,
      });
      const settled2 = vi.fn();
      p2.then(settled2, settled2);
      setTimeout(() => ctl2.abort(), 20);
      await vi.advanceTimersByTimeAsync(20);
      expect(settled2).toHaveBeenCalledOnce();
      expect(attempts).toBe(1);
      await expect(p2).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("logs one line per attempt", async () => {
    const lines: string[] = [];
    let n = 0;
    const t = transport(async () => new Response("", { status: n++ ? 200 : 500 }), {
      log: { info: (l) => void lines.push(l) },
    });
    await send(
      t,
      "GET https://s.test/k?X-Amz-Signature=abcdef&X-Amz-Expires=10",
      async () => t.fetch(new Request("http://x.test")),
      {
        retries: 2,
        timeoutMs: 0,
      },
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/→ 500 .*retry 1\/2/);
    expect(lines[1]).toMatch(/→ 200/);
  });
});

describe("onRetry", () => {
  it("is told of each retry before its sleep: which, of how many, the delay, the request, the status or error", async () => {
    const told: { info: RetryInfo; attemptsSoFar: number }[] = [];
    let n = 0;
    const t = transport(
      async () => {
        n++;
        if (n === 1) return new Response("", { status: 503, headers: { "retry-after": "0.02" } });
        if (n === 2) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET", message: "socket hang up" } });
        return new Response("ok");
      },
      { onRetry: (info) => told.push({ info, attemptsSoFar: n }), scrub: (s) => s.replace("sk_secret", "[REDACTED]") },
    );
    const url = "http://x.test/a?X-Amz-Signature=abc123&k=sk_secret";
    expect((await retryingFetch(t)(new Request(url))).status).toBe(200);
    const request = "GET http://x.test/a?X-Amz-Signature=REDACTED&k=[REDACTED]";
    expect(told).toEqual([
      { info: { attempt: 1, maxRetries: 3, delayMs: 20, request, status: 503 }, attemptsSoFar: 1 },
      {
        info: { attempt: 2, maxRetries: 3, delayMs: 0, request, error: `${request} failed: socket hang up` },
        attemptsSoFar: 2,
      },
    ]);
  });

  it("is not called when no retry follows (retries used up, 4xx, or a POST)", async () => {
    const told: RetryInfo[] = [];
    const t = transport(async () => new Response("", { status: 503 }), { onRetry: (i) => told.push(i) });
    expect((await retryingFetch(t, 1)(new Request("http://x.test/a"))).status).toBe(503);
    expect(told.map((i) => [i.attempt, i.maxRetries, i.status])).toEqual([[1, 1, 503]]);
    told.length = 0;
    const bad = transport(async () => new Response("", { status: 400 }), { onRetry: (i) => told.push(i) });
    await retryingFetch(bad)(new Request("http://x.test/a"));
    await retryingFetch(t)(new Request("http://x.test/a", { method: "POST", body: "x" }));
    expect(told).toEqual([]);
  });
});

describe("retry hints", () => {
  it("retry-after-ms wins over Retry-After", async () => {
    const told: RetryInfo[] = [];
    let n = 0;
    const t = transport(
      async () =>
        n++
          ? new Response("ok")
          : new Response("", { status: 503, headers: { "retry-after-ms": "25", "retry-after": "30" } }),
      { onRetry: (info) => void told.push(info) },
    );
    expect((await retryingFetch(t)(new Request("http://x.test/a"))).status).toBe(200);
    expect(told.map((i) => i.delayMs)).toEqual([25]);
  });

  it("x-should-retry: false stops a retry of a 503; true retries a 400", async () => {
    const statuses = (first: number, hint: string) => {
      const seen: number[] = [];
      const t = transport(async () => {
        const status = seen.length ? 200 : first;
        seen.push(status);
        return new Response("", { status, headers: { "x-should-retry": hint } });
      });
      return retryingFetch(t)(new Request("http://x.test/a")).then(() => seen);
    };
    expect(await statuses(503, "false")).toEqual([503]);
    expect(await statuses(400, "true")).toEqual([400, 200]);
  });
});
