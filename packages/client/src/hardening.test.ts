import { inspect } from "node:util";
import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createSlngClient, JobFailedError, type RetryInfo, redactUrl, SlngValidationError } from "./node.js";

const KEY = "sk_live_hardeningKEY0123456789";
const BASE = "http://emulator.test";
const wav = createSampleWav({ seconds: 0.5 });
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
function emulator() {
  const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
  open.push(emu);
  return emu;
}
const lost = () =>
  new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });

/**
 * A fetch over `emu` whose POSTs are applied and then lost (the first `lostPosts` of them), and
 * whose first `failedGets` GETs of a job fail without an answer.
 */
function flaky(emu: Emulator, lostPosts: number, failedGets: number) {
  const counts = { posts: 0, gets: 0 };
  const fetch = async (r: Request) => {
    const { pathname } = new URL(r.url);
    if (r.method === "POST" && (await r.clone().text()).includes('"mode":"presign"')) return emu.fetch(r);
    if (r.method === "POST") {
      const res = await emu.fetch(r);
      if (counts.posts++ < lostPosts) throw lost();
      return res;
    }
    if (r.method === "GET" && /^\/v1\/batch\/jobs\/\w+$/.test(pathname) && counts.gets++ < failedGets) throw lost();
    return emu.fetch(r);
  };
  return { fetch, counts };
}

async function total(emu: Emulator) {
  const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: emu.fetch });
  return (await slng.jobs.listPage({ pageSize: 100 })).meta.total;
}

describe("exactly-once create uses its retry budget when the lookup fails too", () => {
  for (const upload of ["multipart", "presign"] as const)
    it(`a lost answer whose lookup fails is re-sent with the same id; 'already in use' then confirms it (${upload})`, async () => {
      const emu = emulator();
      const { fetch, counts } = flaky(emu, 1, 2);
      const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 1 });
      const ack = await slng.jobs.create({ file: wav, filename: "a.wav", upload });
      expect(ack.job_id).toMatch(/^[a-zA-Z0-9]+$/);
      expect(counts.posts).toBe(2);
      expect(await total(emu)).toBe(1);
    });

  it("when the budget is spent the error names the job, and jobs.get(err.jobId) resumes", async () => {
    const emu = emulator();
    const { fetch, counts } = flaky(emu, 99, 4);
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 1 });
    const err = await slng.jobs.create({ file: wav, filename: "a.wav", jobId: "mine7" }).catch((e) => e);
    expect(err).toMatchObject({ name: "SlngNetworkError", retryable: true, jobId: "mine7" });
    expect(counts.posts).toBe(2);
    expect((await slng.jobs.get(err.jobId)).job_id).toBe("mine7");
    expect(await total(emu)).toBe(1);
  });

  it("transcribe resumes the same way: one job, and its transcript", async () => {
    const emu = emulator();
    const { fetch } = flaky(emu, 99, 4);
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch, maxRetries: 1 });
    const r = await slng.transcribe({ file: wav, filename: "a.wav" }, { minIntervalMs: 5 });
    expect(r.job.status).toBe("DONE");
    expect(r.transcript.length).toBeGreaterThan(0);
    expect(await total(emu)).toBe(1);
  });

  it("get(), files() and delete() name the job on network errors", async () => {
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      maxRetries: 0,
      fetch: async () => {
        throw lost();
      },
    });
    for (const call of [slng.jobs.get, slng.jobs.files, slng.jobs.delete]) {
      const err = await call("job42").catch((e) => e);
      expect(err).toMatchObject({ name: "SlngNetworkError", jobId: "job42" });
    }
  });
});

const SECRETS = ["GOOGSIGdeadbeef", "GOOGCREDsvc%40proj", "AZSIGabc%2Bdef%3D", "OPAQUETOKEN123", "AWSKEYIDAKIA"];
const STORAGE_URLS = [
  `https://storage.googleapis.com/b/o.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=${SECRETS[1]}&X-Goog-Date=20260101T000000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=${SECRETS[0]}`,
  `https://acct.blob.core.windows.net/c/o.txt?sv=2022-11-02&se=2026-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=${SECRETS[2]}`,
  `https://cdn.example.com/o.txt?expires=1&token=${SECRETS[3]}`,
  `https://b.s3.amazonaws.com/o.txt?AWSAccessKeyId=${SECRETS[4]}&Expires=1&Signature=${SECRETS[0]}`,
];

function expectSecretFree(value: unknown, what: string) {
  const texts = [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) texts.push(value.message, value.stack ?? "");
  for (const t of texts) for (const s of [...SECRETS, KEY]) expect(t, `${what} shows ${s}`).not.toContain(s);
}

describe("signed-URL redaction covers GCS, Azure SAS and unknown token parameters", () => {
  it("redactUrl hides credential and signature values and keeps the rest readable", () => {
    const text = [
      ...STORAGE_URLS,
      "https://x.test/a?access_token=T1&api_key=T2&X-Amz-Security-Token=T3&page=2",
      "<a href='https://acct.blob.core.windows.net/c/o?sv=1&amp;sig=T4&amp;se=2'>",
    ].join("\n");
    const out = redactUrl(text);
    for (const secret of [...SECRETS, "T1", "T2", "T3", "T4"]) expect(out).not.toContain(secret);
    for (const kept of ["X-Goog-Expires=3600", "X-Goog-SignedHeaders=host", "sv=2022-11-02", "sp=r", "page=2", "se=2"])
      expect(out).toContain(kept);
    expect(out).toContain("X-Goog-Signature=REDACTED");
    expect(out).toContain("&sig=REDACTED");
  });

  it("errors, logs and onRetry never show a signature or credential", async () => {
    let i = 0;
    const logs: string[] = [];
    const retries: RetryInfo[] = [];
    const fetch = async (r: Request) => {
      const { pathname } = new URL(r.url);
      if (pathname.endsWith("/files")) {
        const download_url = STORAGE_URLS[i++ % STORAGE_URLS.length] as string;
        return Response.json({
          job_id: "j1",
          inputs: [],
          outputs: [{ format: "txt", key: "outputs/j1/transcript.txt", s3_uri: "s3://b/k", download_url }],
        });
      }
      if (i % 2) throw new TypeError("fetch failed", { cause: new Error(`connect ECONNREFUSED for ${r.url}`) });
      return new Response(`<Error>Denied: ${r.url}</Error>`, { status: 500, headers: { "x-request-id": r.url } });
    };
    const slng = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch,
      maxRetries: 1,
      logger: (l) => logs.push(l),
      onRetry: (info) => retries.push(info),
    });
    const errors: unknown[] = [];
    for (let n = 0; n < STORAGE_URLS.length * 2; n++)
      errors.push(await slng.jobs.download("j1", "txt").catch((e) => e));
    for (const url of STORAGE_URLS)
      errors.push(await slng.jobs.create({ url: url.replace("https:", "ftp:") }).catch((e) => e));
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    for (const e of errors) expectSecretFree(e, (e as Error).message);
    expect(logs.length).toBeGreaterThan(8);
    expect(retries.length).toBeGreaterThan(4);
    for (const l of [...logs, ...retries]) expectSecretFree(l, "log/onRetry");
    expect(logs.join("\n")).toContain("X-Goog-Expires=3600");
    expect(logs.join("\n")).toMatch(/sig=REDACTED.*|X-Goog-Signature=REDACTED/);
  });
});

describe("server text is scrubbed of the key", () => {
  it("requestId and a FAILED job's error_message", async () => {
    const emu = emulator();
    const echo = createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      maxRetries: 0,
      fetch: async (r) =>
        Response.json(
          { error: "no" },
          { status: 400, headers: { "x-request-id": `req-${r.headers.get("authorization")}` } },
        ),
    });
    const err = await echo.jobs.get("abc").catch((e) => e);
    expect(err.requestId).toMatch(/^req-Bearer /);
    expectSecretFree(err, "requestId");
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch: emu.fetch });
    const { job_id } = await slng.jobs.create({
      file: wav,
      filename: "a.wav",
      metadata: { emulator: { fail: `the key ${KEY} was refused` } },
    });
    const failed = await slng.jobs.wait(job_id, { minIntervalMs: 5 }).catch((e) => e);
    expect(failed).toBeInstanceOf(JobFailedError);
    expect(failed.message).toBe("the key [REDACTED] was refused");
    expectSecretFree(failed, "JobFailedError");
  });
});

describe("API key hygiene", () => {
  it("a key with a trailing newline (read from a file) works for multipart uploads over node:http", async () => {
    const emu = emulator();
    const { url } = await emu.listen();
    const slng = createSlngClient({ apiKey: ` ${KEY}\n`, baseUrl: url, maxRetries: 0 });
    const ack = await slng.jobs.create({ file: wav, filename: "a.wav", upload: "multipart" });
    expect(ack.status).toBe("QUEUED");
    expect((await slng.jobs.listPage()).meta.total).toBe(1);
  });

  it("a key that cannot be a header value is refused before any request, without showing it", () => {
    let requests = 0;
    const fetch = async () => {
      requests++;
      return new Response(null);
    };
    for (const bad of [`${KEY}\nX-Evil: 1`, "sk_live_two words", "sk_live_clé", "sk\u0000live", "\n\t "]) {
      let err: unknown;
      try {
        createSlngClient({ apiKey: bad, baseUrl: BASE, fetch });
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(SlngValidationError);
      expect((err as SlngValidationError).field).toBe("apiKey");
      const texts = [String(err), JSON.stringify(err), inspect(err), (err as Error).stack ?? ""];
      for (const t of texts) expect(t).not.toMatch(/hardeningKEY|two words|clé|sk_live/);
    }
    expect(requests).toBe(0);
  });
});
