import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSlngClient, type LogLevel } from "./node.js";
import { BASE, emulator, KEY, recording, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((e) => e.close()));
});

/** Runs a presigned create, a failing get (404, then a 503 retried), a wait and a download; returns the log lines by level. */
async function run(options: { logLevel?: LogLevel; env?: string }) {
  const emu = emulator();
  open.push(emu);
  const { fetch } = recording(emu);
  let failOnce = true;
  const flaky = async (r: Request, init?: { signal?: AbortSignal }) => {
    if (failOnce && r.url.endsWith("/jobs/missing1")) {
      failOnce = false;
      return new Response('{"error":"busy"}', { status: 503, headers: { "retry-after": "0" } });
    }
    return fetch(r, init);
  };
  if (options.env) vi.stubEnv("SLNG_LOG", options.env);
  const lines: Record<string, string[]> = { error: [], warn: [], info: [], debug: [] };
  const logger = {
    error: (l: string) => lines.error?.push(l),
    warn: (l: string) => lines.warn?.push(l),
    info: (l: string) => lines.info?.push(l),
    debug: (l: string) => lines.debug?.push(l),
  };
  const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: flaky, logger, logLevel: options.logLevel });
  const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav", upload: "presign" });
  await slng.jobs.get("missing1", { maxRetries: 1 }).catch(() => {});
  await slng.jobs.wait(job_id, { minIntervalMs: 5 });
  await slng.jobs.download(job_id, "txt");
  return lines;
}

function expectClean(lines: Record<string, string[]>) {
  for (const l of Object.values(lines).flat()) {
    expect(l).not.toContain(KEY);
    expect(l).not.toMatch(/(X-Amz-Signature|X-Amz-Credential)=(?!REDACTED)/i);
  }
}

describe("logging", () => {
  it.each(["off", "error", "warn", "info", "debug"] as const)(
    "level %s logs only its levels, never a key or signature",
    async (level) => {
      const lines = await run({ logLevel: level });
      expectClean(lines);
      const rank = ["off", "error", "warn", "info", "debug"].indexOf(level);
      expect(lines.error).toEqual(rank >= 1 ? [expect.stringMatching(/GET .*\/jobs\/missing1 → 404$/)] : []);
      expect(lines.warn).toEqual(
        rank >= 2 ? [expect.stringMatching(/jobs\/missing1: 503; retry 1\/1 in \d+ ms$/)] : [],
      );
      expect((lines.info?.length ?? 0) > 0).toBe(rank >= 3);
      expect((lines.debug?.length ?? 0) > 0).toBe(rank === 4);
    },
  );

  it("debug: one line per exchange with target, method, redacted URL, status, attempt, request id and headers", async () => {
    const { debug = [] } = await run({ env: "debug" });
    const put = debug.find((l) => l.startsWith("storage PUT "));
    expect(put).toMatch(/X-Amz-Signature=REDACTED/);
    expect(put).toMatch(/→ 200 \(\d+ ms\) attempt 1 request-id req-\d+ request \{.*content-type: audio\/wav/);
    const retried = debug.filter((l) => l.includes("/jobs/missing1"));
    expect(retried.map((l) => / → (\d+) .* attempt (\d)/.exec(l)?.slice(1).join("@"))).toEqual(["503@1", "404@2"]);
    const get = debug.find((l) => l.startsWith("api GET "));
    expect(get).toContain("authorization: [REDACTED]");
    expect(get).toMatch(/user-agent: slng-client-js/);
  });

  it("SLNG_LOG sets the level; the old line function still gets one line per attempt", async () => {
    vi.stubEnv("SLNG_LOG", "off");
    const lines: string[] = [];
    const emu = emulator();
    open.push(emu);
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: (r) => emu.fetch(r),
      logger: (l) => lines.push(l),
    });
    await slng.jobs.get("missing1", { maxRetries: 0 }).catch(() => {});
    expect(lines).toEqual([]);
    vi.unstubAllEnvs();
    const compat: string[] = [];
    const old = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: (r) => emu.fetch(r),
      logger: (l) => compat.push(l),
    });
    await old.jobs.get("missing1", { maxRetries: 0 }).catch(() => {});
    expect(compat).toEqual([
      expect.stringMatching(/^GET http:\/\/emulator.test\/v1\/batch\/jobs\/missing1 → 404 \(\d+ ms\)$/),
    ]);
  });
});
