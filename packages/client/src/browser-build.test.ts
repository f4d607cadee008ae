import { createEmulator, createSampleWav, type Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";

// The browser/default build (no Node built-ins), exactly as bundlers and fetch runtimes get it.
const webBuild = new URL("../dist/index.js", import.meta.url).href;
const web = (await import(webBuild)) as typeof import("./index.js");

const KEY = "webBuildKey";
const wav = createSampleWav({ seconds: 1 }) as Uint8Array<ArrayBuffer>;
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

describe("the browser build", () => {
  it("uploads Blobs and bytes (multipart and presign) through fetch, waits and downloads", async () => {
    const emu = createEmulator({ apiKeys: [KEY], rtf: 0.01, minStageMs: 0 });
    open.push(emu);
    const seen: Request[] = [];
    const slng = web.createSlngClient({
      apiKey: KEY,
      baseUrl: "http://emulator.test",
      fetch: async (r) => {
        seen.push(r.clone());
        return emu.fetch(r);
      },
    });
    for (const upload of ["multipart", "presign"] as const) {
      const progress: number[] = [];
      const r = await slng.transcribe(
        {
          file: new File([wav], "clip.wav", { type: "audio/wav" }),
          upload,
          onUploadProgress: (p) => progress.push(p.loaded),
        },
        { minIntervalMs: 5 },
      );
      expect(r.transcript.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toBeGreaterThanOrEqual(wav.byteLength);
    }
    const put = seen.find((r) => r.method === "PUT");
    expect(put?.headers.get("authorization")).toBeNull();
    // Blob bodies: the browser streams them itself and sends Content-Length.
    expect(
      seen.some((r) => r.method === "POST" && r.headers.get("content-type")?.startsWith("multipart/form-data")),
    ).toBe(true);
  });

  it("refuses file paths with a clear message, before any request", async () => {
    let calls = 0;
    const slng = web.createSlngClient({
      apiKey: KEY,
      baseUrl: "https://api.example.test",
      fetch: async () => {
        calls++;
        return new Response();
      },
    });
    await expect(slng.jobs.create({ file: "/tmp/a.wav" })).rejects.toThrow(/in a browser pass a File or Blob/);
    expect(calls).toBe(0);
  });
});
