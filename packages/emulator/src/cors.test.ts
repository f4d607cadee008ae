import { afterEach, describe, expect, it } from "vitest";
import { normaliseCorsOrigins } from "./cors.js";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "./index.js";

const BASE = "http://emulator.test";
const APP = "http://app.test:5173";
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

function start(corsOrigin?: string | string[]): Emulator {
  const emu = createEmulator({ minStageMs: 0, rtf: 0, ...(corsOrigin ? { corsOrigin } : {}) });
  open.push(emu);
  return emu;
}

function preflight(emu: Emulator, path: string, origin: string, method = "GET"): Promise<Response> {
  return emu.fetch(`${BASE}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization" },
  });
}

function call(emu: Emulator, path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("origin", APP);
  if (init.key !== null) headers.set("authorization", `Bearer ${init.key ?? DEFAULT_API_KEY}`);
  return emu.fetch(`${BASE}${path}`, { ...init, headers });
}

async function doneJob(emu: Emulator): Promise<string> {
  const form = new FormData();
  form.set("file", new Blob([createSampleWav({ seconds: 1 }) as BlobPart], { type: "audio/wav" }), "a.wav");
  form.set("transcription_config", "{}");
  const { job_id } = await (await call(emu, "/v1/batch/jobs", { method: "POST", body: form })).json();
  for (;;) {
    const job = await (await call(emu, `/v1/batch/jobs/${job_id}`)).json();
    if (job.status === "DONE") return job_id;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("CORS is off by default", () => {
  it("refuses a preflight and sends no CORS headers, so a random page cannot drive the emulator", async () => {
    const emu = start();
    const pre = await preflight(emu, "/v1/batch/jobs", APP);
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const list = await call(emu, "/v1/batch/jobs");
    expect(list.status).toBe(200);
    expect(list.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("corsOrigin", () => {
  it("answers an allowed origin's preflight with 204 without auth, naming the methods and headers", async () => {
    const emu = start([APP]);
    const pre = await preflight(emu, "/v1/batch/jobs/abc", APP, "DELETE");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(pre.headers.get("vary")).toBe("Origin");
    expect(pre.headers.get("access-control-allow-methods")).toMatch(/DELETE/);
    const allowedHeaders = pre.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    expect(allowedHeaders).toContain("authorization");
    expect(allowedHeaders).toContain("content-type");
  });

  it("refuses other origins' preflights and gives their requests no Access-Control-Allow-Origin", async () => {
    const emu = start([APP]);
    const pre = await preflight(emu, "/v1/batch/jobs", "http://evil.test");
    expect(pre.status).toBe(403);
    expect(await pre.json()).toEqual({ error: expect.stringMatching(/origin http:\/\/evil.test is not allowed/) });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const other = await emu.fetch(`${BASE}/v1/batch/jobs`, {
      headers: { origin: "http://evil.test", authorization: `Bearer ${DEFAULT_API_KEY}` },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("puts Access-Control-Allow-Origin on successes, errors and injected faults", async () => {
    const emu = start([APP, "http://other.test"]);
    const cases: [string, Promise<Response>][] = [
      ["200 list", call(emu, "/v1/batch/jobs")],
      ["403 no key", call(emu, "/v1/batch/jobs", { key: null })],
      ["403 wrong key", call(emu, "/v1/batch/jobs", { key: "nope" })],
      ["404", call(emu, "/v1/batch/jobs/unknownjob")],
      ["400", call(emu, "/v1/batch/jobs?status=NOPE")],
    ];
    emu.forceFault("503");
    cases.push(["injected 503", call(emu, "/v1/batch/jobs")]);
    for (const [name, pending] of cases) {
      const res = await pending;
      expect(res.headers.get("access-control-allow-origin"), name).toBe(APP);
      expect(res.headers.get("access-control-expose-headers"), name).toMatch(/Retry-After/);
    }
  });

  it("covers the storage URLs: a presigned PUT and a signed download", async () => {
    const emu = start("*");
    const presign = await (
      await call(emu, "/v1/batch/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          mode: "presign",
          filename: "a.wav",
          content_type: "audio/wav",
          transcription_config: {},
        }),
      })
    ).json();
    const putPath = new URL(presign.upload.url);
    const pre = await preflight(emu, putPath.pathname + putPath.search, APP, "PUT");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    const put = await call(emu, putPath.pathname + putPath.search, {
      method: "PUT",
      key: null,
      headers: presign.upload.headers,
      body: createSampleWav({ seconds: 1 }) as BodyInit,
    });
    expect(put.status).toBe(200);
    expect(put.headers.get("access-control-allow-origin")).toBe("*");

    const id = await doneJob(emu);
    const files = await (await call(emu, `/v1/batch/jobs/${id}/files`)).json();
    const dl = new URL(files.outputs[0].download_url);
    const res = await call(emu, dl.pathname + dl.search, { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("normaliseCorsOrigins", () => {
  it("accepts origins and *, drops a trailing slash", () => {
    expect(normaliseCorsOrigins(["http://localhost:5173/", "*", "https://app.example"])).toEqual([
      "http://localhost:5173",
      "*",
      "https://app.example",
    ]);
    expect(normaliseCorsOrigins(undefined)).toEqual([]);
  });

  it("refuses what is not an origin, saying what to give", () => {
    for (const bad of ["localhost:5173", "http://a.test/path", "ftp://a.test", ""]) {
      expect(() => normaliseCorsOrigins(bad), bad).toThrow(/not an origin.*localhost:5173/);
    }
  });
});
