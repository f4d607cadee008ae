import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createJob, createSlngClient, createSlngCore, getJob, SlngPromise, transcribe } from "./node.js";
import { BASE, emulator, KEY, recording, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

describe(".withResponse()", () => {
  it("gives the request id the emulator sends on every answer, with no wrapper in between", async () => {
    const emu = emulator();
    open.push(emu);
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: emu.fetch });
    const { data: ack, requestId } = await createJob(core, { file: wav, filename: "a.wav" }).withResponse();
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const got = await getJob(core, ack.job_id).withResponse();
    expect(got.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.requestId).not.toBe(requestId);
  });

  it("gives data, the Response and the request id, on standalone functions and the client", async () => {
    const emu = emulator();
    open.push(emu);
    const { fetch } = recording(emu);
    const core = createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch });
    const created = createJob(core, { file: wav, filename: "a.wav" });
    expect(created).toBeInstanceOf(SlngPromise);
    const { data: ack, response, requestId } = await created.withResponse();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(202);
    expect(requestId).toBe(response.headers.get("x-request-id"));
    expect(requestId).toMatch(/^req-\d+$/);
    const got = await getJob(core, ack.job_id).withResponse();
    expect(got.data.job_id).toBe(ack.job_id);
    expect(got.requestId).toMatch(/^req-\d+$/);
    expect(got.requestId).not.toBe(requestId);
    const slng = createSlngClient({ apiKey: KEY, baseUrl: BASE, fetch });
    const viaClient = await slng.jobs.get(ack.job_id).withResponse();
    expect(viaClient.data.status).toBeTypeOf("string");
    expect(viaClient.requestId).toMatch(/^req-\d+$/);
    const page = await slng.jobs.listPage().withResponse();
    expect(page.data.items.length).toBe(1);
    const done = await slng.jobs.wait(ack.job_id, { minIntervalMs: 5 }).withResponse();
    expect(done.data.status).toBe("DONE");
    expect(done.response.status).toBe(200);
    const txt = await slng.jobs.download(ack.job_id, "txt").withResponse();
    expect(typeof txt.data).toBe("string");
    const t = await transcribe(core, { file: wav, filename: "b.wav" }, { minIntervalMs: 5 }).withResponse();
    expect(t.data.job.status).toBe("DONE");
    expect(t.response.ok).toBe(true);
    expect((await slng.jobs.delete(ack.job_id).withResponse()).data.status).toBe("DELETED");
  });

  it("awaiting the promise still gives the bare data; a rejection rejects both ways", async () => {
    const core = createSlngCore({
      apiKey: KEY,
      baseUrl: BASE,
      maxRetries: 0,
      fetch: async () => new Response('{"error":"Job not found"}', { status: 404 }),
    });
    const p = getJob(core, "abc");
    await expect(p).rejects.toMatchObject({ status: 404 });
    await expect(p.withResponse()).rejects.toMatchObject({ status: 404 });
  });
});
