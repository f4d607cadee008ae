import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createSampleWav } from "./index.js";
import { testApisClosedAfterEach } from "./test-support.js";

const setup = testApisClosedAfterEach();
const wav = createSampleWav({ seconds: 1 });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function idOf(res: Response): string {
  const id = res.headers.get("x-request-id");
  expect(id, `${res.status} ${res.url}`).toMatch(UUID);
  return id as string;
}

describe("x-request-id on every answer", () => {
  it("API answers — success, validation error, 403, 404 job, unknown route, 409 — each carry a fresh id", async () => {
    const { call, upload, emu } = setup({ minStageMs: 60_000 });
    const created = await upload(wav);
    const id = created.body.job_id as string;
    const answers = [
      await call("GET", "/v1/batch/jobs"),
      await call("GET", "/v1/batch/jobs?page=0"),
      await call("GET", "/v1/batch/jobs", { key: "wrong" }),
      await call("GET", "/v1/batch/jobs/nosuchjob"),
      await call("GET", "/v1/nothing/here"),
      await call("GET", `/v1/batch/jobs/${id}/files`),
      await call("DELETE", `/v1/batch/jobs/${id}`),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 400, 403, 404, 404, 200, 409]);
    const ids = answers.map((a) => idOf(a.res));
    expect(new Set(ids).size).toBe(ids.length);
    const posted = await emu.fetch(
      new Request("http://emulator.test/v1/batch/jobs", {
        method: "POST",
        headers: { authorization: "Bearer slng-emulator-demo-key", "content-type": "text/plain" },
        body: "x",
      }),
    );
    expect(posted.status).toBe(400);
    idOf(posted);
  });

  it("storage answers (download, refused signature, presigned PUT) and injected faults carry one too", async () => {
    const { call, upload } = setup();
    const { body } = await upload(wav);
    const files = await call("GET", `/v1/batch/jobs/${body.job_id}/files`);
    const url = files.body.inputs[0].download_url as string;
    const download = await call("GET", url, { key: null });
    expect(download.status).toBe(200);
    idOf(download.res);
    const refused = await call("GET", url.replace(/X-Amz-Signature=./, "X-Amz-Signature=z"), { key: null });
    expect(refused.status).toBe(403);
    idOf(refused.res);
    const presigned = await call("POST", "/v1/batch/jobs", {
      json: { mode: "presign", filename: "a.wav", content_type: "audio/wav", transcription_config: {} },
    });
    idOf(presigned.res);
    const put = await call("PUT", presigned.body.upload.url, {
      key: null,
      body: wav as BodyInit,
      headers: presigned.body.upload.headers,
    });
    expect(put.status).toBe(200);
    idOf(put.res);
    const fault = await call("GET", "/v1/batch/jobs", { headers: { "x-slng-emulator-fault": "503" } });
    expect(fault.status).toBe(503);
    idOf(fault.res);
  });

  it("over HTTP, including a CORS preflight and a request Node's parser refuses", async () => {
    const { emu } = setup({ corsOrigin: "http://app.test" });
    const { url, port } = await emu.listen();
    const preflight = await fetch(`${url}/v1/batch/jobs`, {
      method: "OPTIONS",
      headers: { origin: "http://app.test", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    idOf(preflight);
    const listed = await fetch(`${url}/v1/batch/jobs`, {
      headers: { authorization: "Bearer slng-emulator-demo-key", origin: "http://app.test" },
    });
    idOf(listed);
    expect(listed.headers.get("access-control-expose-headers")).toMatch(/X-Request-Id/i);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end("GARBAGE / HTTP/9\r\n\r\n"));
      let out = "";
      socket.on("data", (d) => {
        out += d;
      });
      socket.on("close", () => resolve(out));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
  });

  it("after close() the 503 carries one", async () => {
    const { call, emu } = setup();
    await emu.close();
    const r = await call("GET", "/v1/batch/jobs");
    expect(r.status).toBe(503);
    idOf(r.res);
  });
});
