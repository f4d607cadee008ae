import { describe, expect, it } from "vitest";
import { formatFromMime, formatFromName, sniffFormat } from "./audio.js";
import { createSampleWav } from "./sample-wav.js";
import { sampleFlac, sampleMp3 } from "./test-support.js";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe("sniffFormat", () => {
  it("recognises every accepted format from its first bytes", () => {
    expect(sniffFormat(createSampleWav())).toEqual({ kind: "audio", format: "wav" });
    expect(sniffFormat(sampleMp3(2))).toEqual({ kind: "audio", format: "mp3" });
    expect(sniffFormat(sampleFlac())).toEqual({ kind: "audio", format: "flac" });
    expect(sniffFormat(bytes("OggS", [0, 2]))).toEqual({ kind: "audio", format: "ogg" });
    expect(sniffFormat(bytes("#!AMR\n"))).toEqual({ kind: "audio", format: "amr" });
    expect(sniffFormat(bytes([0xff, 0xf1, 0x50, 0x80]))).toEqual({ kind: "audio", format: "aac" });
    expect(sniffFormat(bytes([0, 0, 0, 0x20], "ftypM4A "))).toEqual({ kind: "audio", format: "m4a" });
    expect(sniffFormat(bytes([0, 0, 0, 0x20], "ftypisom"))).toEqual({ kind: "audio", format: "mp4" });
    expect(sniffFormat(bytes([0, 0, 1, 0xba]))).toEqual({ kind: "audio", format: "mpeg" });
    expect(sniffFormat(bytes([0xff, 0xfd, 0x90, 0x64]))).toEqual({ kind: "audio", format: "mpeg" });
    expect(sniffFormat(bytes("ID3", [4, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64]))).toEqual({
      kind: "audio",
      format: "mp3",
    });
  });

  it("names known non-audio formats and leaves the rest unknown", () => {
    expect(sniffFormat(bytes("%PDF-1.7"))).toEqual({ kind: "other", description: "a PDF document" });
    expect(sniffFormat(bytes([0x89], "PNG"))).toEqual({ kind: "other", description: "a PNG image" });
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff]))).toEqual({ kind: "other", description: "a JPEG image" });
    expect(sniffFormat(bytes("hello, world\n"))).toEqual({ kind: "other", description: "text" });
    expect(sniffFormat(bytes([1, 2, 3, 200]))).toEqual({ kind: "unknown" });
    expect(sniffFormat(new Uint8Array(0))).toEqual({ kind: "unknown" });
  });
});

describe("claimed formats", () => {
  it("reads extensions and MIME types", () => {
    expect(formatFromName("a.WAV")).toBe("wav");
    expect(formatFromName("a.mpg")).toBe("mpeg");
    expect(formatFromName("a.opus")).toBe("ogg");
    expect(formatFromName("a.txt")).toBeUndefined();
    expect(formatFromName(undefined)).toBeUndefined();
    expect(formatFromMime("audio/x-wav; charset=binary")).toBe("wav");
    expect(formatFromMime("audio/mpeg")).toBe("mp3");
    expect(formatFromMime("application/octet-stream")).toBeUndefined();
  });
});
