import type { Emulator } from "@slng/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createJob, createSlngCore, type UploadProgress } from "./node.js";
import { BASE, emulator, KEY, wav } from "./test-kit.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

function core() {
  const emu = emulator();
  open.push(emu);
  return { emu, core: createSlngCore({ apiKey: KEY, baseUrl: BASE, fetch: (r) => emu.fetch(r) }) };
}

describe("upload inputs", () => {
  it.each(["esc\u001bname.wav", "line\nbreak.wav", 'quote"d\\é.wav', "tab\tand\rcr.wav"])(
    "a multipart file name with control or special characters uploads (%j)",
    async (filename) => {
      const { core: c } = core();
      const ack = await createJob(c, { file: wav, filename, upload: "multipart" });
      expect(ack.status).toBe("QUEUED");
    },
  );

  it("onUploadProgress's total is the file's size, on multipart and presigned uploads", async () => {
    const { core: c } = core();
    for (const upload of ["multipart", "presign"] as const) {
      const seen: UploadProgress[] = [];
      await createJob(c, { file: wav, filename: "a.wav", upload, onUploadProgress: (p) => seen.push(p) });
      expect(new Set(seen.map((p) => p.total))).toEqual(new Set([wav.byteLength]));
      expect(seen.at(-1)).toEqual({ phase: "create", loaded: wav.byteLength, total: wav.byteLength });
      expect(seen.find((p) => p.phase === "upload" && p.loaded === wav.byteLength)).toBeDefined();
    }
  });
});
