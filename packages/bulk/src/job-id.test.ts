import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { hashFile } from "./job-id.js";

const dir = mkdtempSync(join(tmpdir(), "slng-hash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (n: number) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 13) % 256));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * Hashes a file of `content`, counting the bytes of the Buffers allocated for reading it: by
 * `hashFile` itself or by a file read stream (not by the test runner's own work meanwhile).
 */
async function hashCounting(name: string, content: Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  let allocated = 0;
  const count = (method: "allocUnsafe" | "allocUnsafeSlow") => {
    const original = Buffer[method];
    return vi.spyOn(Buffer, method).mockImplementation((size: number) => {
      if (/hashFile|ReadStream\._read/.test(new Error().stack ?? "")) allocated += size;
      return original.call(Buffer, size);
    });
  };
  const spies = [count("allocUnsafe"), count("allocUnsafeSlow")];
  try {
    return { hex: await hashFile(path), allocated };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe("hashFile", () => {
  it("gives the SHA-256 of the file's bytes, for empty, small and several-read files", async () => {
    for (const n of [0, 1, 800, 256 * 1024, 700_001]) {
      const content = bytes(n);
      expect((await hashCounting(`f${n}.wav`, content)).hex).toBe(sha256(content));
    }
  });

  it("reads a small file into a buffer the size of the file, not 64 KiB per read", async () => {
    const { allocated } = await hashCounting("small.wav", bytes(800));
    expect(allocated).toBeGreaterThan(0);
    expect(allocated).toBeLessThanOrEqual(801);
  });

  it("reads a large file through one buffer of at most 256 KiB", async () => {
    const { allocated } = await hashCounting("large.wav", bytes(3_000_000));
    expect(allocated).toBeGreaterThanOrEqual(256 * 1024);
    expect(allocated).toBeLessThan(256 * 1024 + 4096);
  });

  it("says which file is missing", async () => {
    await expect(hashFile(join(dir, "nope.wav"))).rejects.toThrow(/ENOENT.*nope\.wav/);
  });
});
