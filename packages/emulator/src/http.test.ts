import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateResponse, validateSchema } from "@slng/contract";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "./index.js";
import { contractFetch } from "./test-support.js";

// Each curl is a process spawn: slow when the whole monorepo's tests share two cores.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const KEY = "sk-test-curl-key";
const dir = mkdtempSync(join(tmpdir(), "emu-http-"));
const wavPath = join(dir, "a.wav");
writeFileSync(wavPath, createSampleWav({ seconds: 4 }));
let emu: Emulator;
let URL_: string;
const logs: string[] = [];

beforeAll(async () => {
  emu = createEmulator({
    apiKeys: [KEY],
    minStageMs: 0,
    rtf: 0.02,
    logger: (l) => logs.push(l),
    maxInputBytes: 8 * 1024 * 1024,
  });
  URL_ = (await emu.listen()).url;
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs a shell command line (SLNG's documented curl forms, with $KEY and $URL set), appends
 * `-sS -w` to learn the status, and validates the answer against the spec when it is an API call.
 */
function sh(
  command: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "/bin/bash",
      ["-c", command],
      { env: { ...process.env, KEY, URL: URL_, ...env }, cwd: dir },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function curl(command: string, env: Record<string, string> = {}) {
  const r = await sh(`${command} -sS -w '\\n%{http_code} %{content_type}'`, env);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split("\n");
  const [status, type] = (lines.pop() ?? "").split(" ");
  const text = lines.join("\n");
  const body = type?.includes("json") ? JSON.parse(text) : text;
  const method = /-X (\w+)/.exec(command)?.[1] ?? (/ -[dF] /.test(command) ? "POST" : "GET");
  const path = /\$URL(\/v1\/[^"' ?]*)/.exec(command)?.[1];
  if (path && !path.includes("$")) {
    const check = validateResponse(method, path, Number(status), body, type || "application/json");
    expect(check.errors, `${method} ${path}`).toEqual([]);
  }
  if (Number(status) >= 400) expect(validateSchema("Error", body).errors).toEqual([]);
  return { status: Number(status), body, text };
}

async function pollDone(id: string) {
  for (let i = 0; i < 200; i++) {
    const r = await curl(`curl -H "Authorization: Bearer $KEY" "$URL/v1/batch/jobs/${id}"`);
    expect(r.status).toBe(200);
    if (r.body.status === "DONE" || r.body.status === "FAILED") return r.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("never finished");
}

describe("SLNG's documented curl commands against listen()", () => {
  it("file upload → poll → files → downloads (without the key) → list filters → delete", async () => {
    const created = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -F file=@a.wav -F 'transcription_config={"language":"en","diarization":"speaker"}' $URL/v1/batch/jobs`,
    );
    expect(created.status).toBe(202);
    expect(created.body.status).toBe("QUEUED");
    const id: string = created.body.job_id;
    const job = await pollDone(id);
    expect(job).toMatchObject({
      status: "DONE",
      input_metadata: { format: "wav", duration_seconds: 4, source: "upload" },
    });

    const files = await curl(`curl -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs/${id}/files`);
    expect(files.status).toBe(200);
    expect(files.body.outputs).toHaveLength(3);
    for (const out of files.body.outputs) {
      expect(out.download_url.startsWith(`${URL_}/storage/`)).toBe(true);
      const dl = await sh(`curl -sS -f -o out.${out.format} "$DL"`, { DL: out.download_url });
      expect(dl.code, dl.stderr).toBe(0);
      const content = readFileSync(join(dir, `out.${out.format}`), "utf8");
      if (out.format === "json") expect(JSON.parse(content).emulator.synthetic).toBe(true);
      if (out.format === "srt") expect(content).toMatch(/^1\n00:00:/);
      if (out.format === "txt") expect(content).toMatch(/^S1: /);
    }
    const input = await sh(`curl -sS -f -o in.wav "$DL" && cmp in.wav a.wav`, {
      DL: files.body.inputs[0].download_url,
    });
    expect(input.code, input.stderr).toBe(0);
    const leaked = await curl(`curl -H "Authorization: Bearer $KEY" "$DL"`, { DL: files.body.outputs[0].download_url });
    expect(leaked.status).toBe(400);

    const list = await curl(
      `curl -G -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs --data-urlencode "status=DONE,FAILED" --data-urlencode "sort_by=submitted_at" --data-urlencode "sort_order=asc" --data-urlencode "page=1" --data-urlencode "page_size=10" --data-urlencode "submitted_after=2020-01-01T00:00:00Z"`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.some((j: { job_id: string }) => j.job_id === id)).toBe(true);
    const badList = await curl(`curl -H "Authorization: Bearer $KEY" "$URL/v1/batch/jobs?status=DONE,NOPE"`);
    expect(badList.status).toBe(400);
    expect(badList.body.error).toMatch(/'NOPE'. Allowed values: QUEUED/);

    const del = await curl(`curl -X DELETE -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs/${id}`);
    expect(del).toMatchObject({ status: 202, body: { job_id: id, status: "DELETED" } });
    const gone = await sh(`curl -sS -f -o /dev/null "$DL"`, { DL: files.body.outputs[0].download_url });
    expect(gone.code).not.toBe(0);
  });

  it("URL input with a JSON body", async () => {
    const first = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -F file=@a.wav -F 'transcription_config={"language":"en"}' $URL/v1/batch/jobs`,
    );
    await pollDone(first.body.job_id);
    const files = await curl(`curl -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs/${first.body.job_id}/files`);
    const audioUrl = files.body.inputs[0].download_url;
    const created = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "{\\"input_url\\": \\"$AUDIO\\", \\"transcription_config\\": {\\"language\\": \\"en\\"}}" $URL/v1/batch/jobs`,
      { AUDIO: audioUrl },
    );
    expect(created.status).toBe(202);
    const job = await pollDone(created.body.job_id);
    expect(job.input_metadata).toMatchObject({ source: "url", format: "wav", duration_seconds: 4 });
  });

  it("the presign three steps, with curl -X PUT --upload-file", async () => {
    const step1 = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"mode": "presign", "filename": "a.wav", "content_type": "audio/wav", "transcription_config": {"language": "en"}}' $URL/v1/batch/jobs`,
    );
    expect(step1.status).toBe(200);
    const put = await sh(`curl -sS -f -X PUT -H "Content-Type: audio/wav" --upload-file a.wav "$UPLOAD_URL"`, {
      UPLOAD_URL: step1.body.upload.url,
    });
    expect(put.code, put.stderr).toBe(0);
    const step3 = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "{\\"s3_key\\": \\"$S3_KEY\\", \\"job_id\\": \\"$JOB_ID\\", \\"transcription_config\\": {\\"language\\": \\"en\\"}}" $URL/v1/batch/jobs`,
      { S3_KEY: step1.body.upload.s3_key, JOB_ID: step1.body.job_id },
    );
    expect(step3).toMatchObject({ status: 202, body: { job_id: step1.body.job_id, status: "QUEUED" } });
    expect((await pollDone(step1.body.job_id)).input_metadata.source).toBe("presign");
  });

  it("errors come back as documented", async () => {
    const noKey = await curl(`curl $URL/v1/batch/jobs`);
    expect(noKey.status).toBe(403);
    const wrongKey = await curl(`curl -H "Authorization: Bearer nope" $URL/v1/batch/jobs`);
    expect(wrongKey).toMatchObject({ status: 403, body: { error: "API key id not found" } });
    const badId = await curl(`curl -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs/bad-id`);
    expect(badId).toMatchObject({ status: 400 });
    const badJson = await curl(
      `curl -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{oops' $URL/v1/batch/jobs`,
    );
    expect(badJson.status).toBe(400);
    const noConfig = await curl(`curl -X POST -H "Authorization: Bearer $KEY" -F file=@a.wav $URL/v1/batch/jobs`);
    expect(noConfig.body.error).toMatch(/transcription_config is required/);
    const demo = await curl(`curl -H "Authorization: Bearer ${DEFAULT_API_KEY}" $URL/v1/batch/jobs`);
    expect(demo.status).toBe(403);
    expect(logs.join("\n")).not.toContain(KEY);
    expect(logs.join("\n")).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    expect(logs.some((l) => l.includes("X-Amz-Signature=REDACTED"))).toBe(true);
  });

  it("drops the connection for the drop fault and delays for latency", async () => {
    const dropped = await sh(
      `curl -sS -H "x-slng-emulator-fault: drop" -H "Authorization: Bearer $KEY" $URL/v1/batch/jobs`,
    );
    expect([52, 56]).toContain(dropped.code);
    const fetchContract = contractFetch((r) => fetch(r));
    emu.forceFault("429", { match: "/v1/batch/jobs" });
    const limited = await fetchContract(
      new Request(`${URL_}/v1/batch/jobs`, { headers: { authorization: `Bearer ${KEY}` } }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    await expect(
      fetchContract(new Request(`${URL_}/v1/batch/jobs`, { headers: { "x-slng-emulator-fault": "drop" } })),
    ).rejects.toThrow(/fetch failed/);
  });
});

describe("size limits over HTTP", () => {
  function rawRequest(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    chunks: number,
    chunkSize = 1024 * 1024,
  ) {
    return new Promise<{ status: number; body: string; closed: boolean; sent: number }>((resolve, reject) => {
      const req = request(`${URL_}${path}`, { method, headers });
      let sent = 0;
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => {
          const parsed = body ? JSON.parse(body) : undefined;
          if (path.startsWith("/v1/"))
            expect(validateResponse(method, path, res.statusCode ?? 0, parsed).errors).toEqual([]);
          else if ((res.statusCode ?? 0) >= 400) expect(validateSchema("Error", parsed).errors).toEqual([]);
          resolve({ status: res.statusCode ?? 0, body, closed: res.headers.connection === "close", sent });
        });
      });
      req.on("error", (e) => {
        if (!answered) reject(e);
      });
      const chunk = Buffer.alloc(chunkSize);
      const write = () => {
        while (sent < chunks && !answered) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        if (!answered) req.end();
      };
      write();
    });
  }

  it("refuses by Content-Length with 413 and closes the connection without reading the body", async () => {
    const r = await rawRequest(
      "POST",
      "/v1/batch/jobs",
      {
        authorization: `Bearer ${KEY}`,
        "content-type": "multipart/form-data; boundary=XX",
        "content-length": 2 * 1024 ** 3,
      },
      4,
    );
    expect(r).toMatchObject({ status: 413, closed: true });
    expect(JSON.parse(r.body)).toEqual({ error: "File too large. Maximum size is 8 MB." });
  });

  it("stops a chunked multipart upload once it passes the limit (413 while streaming)", async () => {
    const boundary = "ZZ";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="transcription_config"\r\n\r\n{}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`;
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${URL_}/v1/batch/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      });
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => {
          expect(validateResponse("POST", "/v1/batch/jobs", res.statusCode ?? 0, JSON.parse(body)).errors).toEqual([]);
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on("error", (e) => !answered && reject(e));
      req.write(head);
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024);
      const write = () => {
        while (!answered && sent < 200) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        if (!answered) req.end(`\r\n--${boundary}--\r\n`);
      };
      write();
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error).toBe("File too large. Maximum size is 8 MB.");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(join(emu.dataDir, "tmp"))).toEqual([]);
  });

  it("refuses an oversized presigned PUT", async () => {
    const step1 = await contractFetch((r) => fetch(r))(
      new Request(`${URL_}/v1/batch/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ mode: "presign", filename: "big.wav", transcription_config: {} }),
      }),
    );
    const { upload } = (await step1.json()) as { upload: { url: string } };
    const path = upload.url.slice(URL_.length);
    const byLength = await rawRequest(
      "PUT",
      path,
      { "content-type": "application/octet-stream", "content-length": 9 * 1024 * 1024 },
      1,
    );
    expect(byLength.status).toBe(413);
    const chunked = await rawRequest("PUT", path, { "content-type": "application/octet-stream" }, 20);
    expect(chunked.status).toBe(413);
  });
});
