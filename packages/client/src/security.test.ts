import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { inspect } from "node:util";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createSlngClient } from "./node.js";

const SECRET = "sk_live_TOPSECRETkey9876543210";
const wav = createSampleWav({ seconds: 0.5 });
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

function expectKeyFree(value: unknown, what: string) {
  const texts = [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) texts.push(value.message, value.stack ?? "");
  for (const t of texts) expect(t, `${what} leaks the key`).not.toContain(SECRET);
}

describe("the API key never leaves for storage, errors or logs", () => {
  it("storage requests (presigned PUT, downloads) carry no key, in-process", async () => {
    const emu = createEmulator({ apiKeys: [SECRET], rtf: 0.01, minStageMs: 0 });
    open.push(emu);
    const requests: Request[] = [];
    const logs: string[] = [];
    const slng = createSlngClient({
      apiKey: SECRET,
      baseUrl: "http://emulator.test",
      logger: (l) => logs.push(l),
      fetch: async (r) => {
        requests.push(r.clone());
        return emu.fetch(r);
      },
    });
    const { job_id } = await slng.jobs.create({ file: wav, filename: "a.wav", upload: "presign" });
    await slng.jobs.wait(job_id, { minIntervalMs: 5 });
    for (const f of ["txt", "srt", "json"] as const) await slng.jobs.download(job_id, f);
    const storage = requests.filter((r) => new URL(r.url).pathname.startsWith("/storage/"));
    expect(storage.map((r) => r.method).sort()).toEqual(["GET", "GET", "GET", "PUT"]);
    for (const r of storage) {
      expect(r.headers.get("authorization")).toBeNull();
      expect(r.url).not.toContain(SECRET);
      for (const [, v] of r.headers) expect(v).not.toContain(SECRET);
    }
    const api = requests.filter((r) => new URL(r.url).pathname.startsWith("/v1/"));
    expect(api.every((r) => r.headers.get("authorization") === `Bearer ${SECRET}`)).toBe(true);
    expect(logs.length).toBeGreaterThan(5);
    for (const l of logs) {
      expect(l).not.toContain(SECRET);
      expect(l).not.toMatch(/X-Amz-Signature=(?!REDACTED)/i);
    }
    expect(logs.some((l) => l.includes("X-Amz-Signature=REDACTED"))).toBe(true);
  });

  it("storage requests over node:http carry no key either", async () => {
    const emu = createEmulator({ apiKeys: [SECRET], rtf: 0.01, minStageMs: 0 });
    open.push(emu);
    const { url } = await emu.listen();
    const sent: { path: string; headers: Record<string, unknown> }[] = [];
    const onStart = (msg: unknown) => {
      const req = (msg as { request: ClientRequest }).request;
      sent.push({ path: req.path, headers: req.getHeaders() });
    };
    subscribe("http.client.request.start", onStart);
    try {
      const slng = createSlngClient({ apiKey: SECRET, baseUrl: url });
      await slng.jobs.create({ file: wav, filename: "a.wav", upload: "presign" });
      await slng.jobs.create({ file: wav, filename: "b.wav", upload: "multipart" });
    } finally {
      unsubscribe("http.client.request.start", onStart);
    }
    const put = sent.filter((s) => s.path.startsWith("/storage/"));
    expect(put).toHaveLength(1);
    expect(put[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(put)).not.toContain(SECRET);
    const multipart = sent.filter((s) => s.path === "/v1/batch/jobs");
    expect(multipart).toHaveLength(1);
    expect(multipart[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it("no error carries the key: message, String(), JSON.stringify, util.inspect", async () => {
    const emu = createEmulator({ apiKeys: ["otherkey"], rtf: 100, minStageMs: 0 });
    open.push(emu);
    const errors: unknown[] = [];
    const grab = (p: Promise<unknown>) =>
      p.then(
        () => errors.push(new Error("expected a failure")),
        (e) => errors.push(e),
      );
    const wrong = createSlngClient({ apiKey: SECRET, baseUrl: "http://emulator.test", fetch: emu.fetch });
    await grab(wrong.jobs.get("abc"));
    await grab(wrong.jobs.create({ file: wav, filename: "a.wav" }));
    // A server that echoes the credentials back in its error text and network errors that quote them.
    const echo = createSlngClient({
      apiKey: SECRET,
      baseUrl: "http://emulator.test",
      maxRetries: 0,
      fetch: async (r) => Response.json({ error: `bad key ${r.headers.get("authorization")}` }, { status: 400 }),
    });
    await grab(echo.jobs.get("abc"));
    await grab(echo.jobs.delete("abc"));
    const thrower = createSlngClient({
      apiKey: SECRET,
      baseUrl: "http://emulator.test",
      maxRetries: 0,
      fetch: async (r) => {
        throw new TypeError("fetch failed", { cause: new Error(`refused with ${r.headers.get("authorization")}`) });
      },
    });
    await grab(thrower.jobs.listPage());
    await grab(thrower.jobs.create({ file: wav, filename: "a.wav" }));
    const hang = createSlngClient({
      apiKey: SECRET,
      baseUrl: "http://emulator.test",
      maxRetries: 0,
      timeoutMs: 20,
      fetch: () => new Promise<Response>(() => {}),
    });
    await grab(hang.jobs.get("abc"));
    const good = createSlngClient({ apiKey: "otherkey", baseUrl: "http://emulator.test", fetch: emu.fetch });
    const { job_id } = await good.jobs.create({ file: wav, filename: "a.wav" });
    const slow = createSlngClient({ apiKey: SECRET, baseUrl: "http://emulator.test", fetch: emu.fetch });
    await grab(slow.jobs.wait("nojob"));
    await grab(good.jobs.wait(job_id, { timeoutMs: 30, minIntervalMs: 10 }));
    await grab(good.jobs.delete(job_id));
    await grab(slow.jobs.create({ file: wav, filename: "a.txt" }));
    const ctl = new AbortController();
    ctl.abort();
    await grab(slow.jobs.get("abc", { signal: ctl.signal }));
    expect(errors).toHaveLength(12);
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).not.toBe("expected a failure");
      expectKeyFree(e, (e as Error).name);
    }
    expect(JSON.stringify(errors[2])).toContain("[REDACTED]");
    expect(() => createSlngClient({ apiKey: SECRET, baseUrl: "http://remote.example.com" })).toThrow();
    try {
      createSlngClient({ apiKey: SECRET, baseUrl: "http://remote.example.com" });
    } catch (e) {
      expectKeyFree(e, "baseUrl error");
    }
    expectKeyFree(createSlngClient({ apiKey: SECRET, baseUrl: "http://emulator.test" }), "the client object");
  });
});
