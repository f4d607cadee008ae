import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createJob, createSlngCore, getJob, getJobFiles, listJobsPage, SlngApiError } from "./node.js";
import { BASE, emulator, KEY, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A core whose fetch answers every request with `answer` (given the request). */
const coreAnswering = (answer: (r: Request) => Response | Promise<Response>) =>
  createSlngCore({ apiKey: KEY, baseUrl: BASE, maxRetries: 0, fetch: async (r) => answer(r) });

async function expectUnexpected(p: Promise<unknown>, label: RegExp, status: number) {
  const err = (await p.catch((e) => e)) as SlngApiError;
  expect(err).toBeInstanceOf(SlngApiError);
  expect(err).toMatchObject({ code: "unexpected_response", status, retryable: false });
  expect(err.message).toMatch(label);
  expect(err.message).toContain(String(status));
}

describe("2xx bodies are checked for what the client reads", () => {
  it("a 202 acknowledgement answering the presign step", async () => {
    const core = coreAnswering(() => json(202, { job_id: "j1", status: "QUEUED" }));
    await expectUnexpected(
      createJob(core, { file: wav, filename: "a.wav", upload: "presign", jobId: "j1" }),
      /presign.*not a presign answer/,
      202,
    );
  });

  it("a presign body answering a create", async () => {
    const emu = emulator();
    open.push(emu);
    const presign = await emu.fetch(
      new Request(`${BASE}/v1/batch/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ mode: "presign", filename: "a.wav", job_id: "j2", transcription_config: {} }),
      }),
    );
    const body = await presign.json();
    const core = coreAnswering(() => json(200, body));
    await expectUnexpected(
      createJob(core, { file: wav, filename: "a.wav", jobId: "j2" }),
      /POST .*jobs.*not a job acknowledgement/,
      200,
    );
    await expectUnexpected(createJob(core, { url: "https://example.com/a.wav", jobId: "j2" }), /acknowledgement/, 200);
  });

  it("an empty or non-JSON 2xx, never a SyntaxError", async () => {
    await expectUnexpected(
      getJob(
        coreAnswering(() => new Response(null, { status: 200 })),
        "abc",
      ),
      /GET .*abc/,
      200,
    );
    await expectUnexpected(
      getJob(
        coreAnswering(() => new Response("<html>ok</html>", { status: 200 })),
        "abc",
      ),
      /GET .*abc/,
      200,
    );
    await expectUnexpected(listJobsPage(coreAnswering(() => json(200, { items: "x" }))), /page of jobs/, 200);
    await expectUnexpected(
      getJobFiles(
        coreAnswering(() => json(200, { job_id: "abc" })),
        "abc",
      ),
      /files/,
      200,
    );
  });

  it("a job answer for another id is refused", async () => {
    const core = coreAnswering(() => json(200, { job_id: "other", status: "DONE" }));
    await expectUnexpected(getJob(core, "abc"), /not job abc/, 200);
  });
});
