import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { StreamPart } from "./body.js";
import { nodePlatform } from "./node-http.js";

const dir = mkdtempSync(join(tmpdir(), "slng-node-http-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (n: number) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256));

/** Reads an opened file part to the end, counting the bytes its read stream allocated (outside the heap). */
async function readPart(path: string) {
  const opened = await nodePlatform.openPath?.(path);
  if (!opened) throw new Error("no openPath");
  const original = Buffer.allocUnsafeSlow;
  let allocated = 0;
  const slow = vi.spyOn(Buffer, "allocUnsafeSlow").mockImplementation((size: number) => {
    if (/ReadStream\._read/.test(new Error().stack ?? "")) allocated += size;
    return original.call(Buffer, size);
  });
  const pieces: Buffer[] = [];
  try {
    const stream = (opened.part as StreamPart).open() as AsyncIterable<Uint8Array>;
    for await (const c of stream) pieces.push(Buffer.from(c));
  } finally {
    slow.mockRestore();
  }
  return { size: opened.size, data: Buffer.concat(pieces), pieces, allocated };
}

describe("nodePlatform.openPath", () => {
  it("reads a small file with buffers the size of the file, not 512 KiB per read", async () => {
    const path = join(dir, "small.wav");
    writeFileSync(path, bytes(800));
    const { size, data, allocated } = await readPart(path);
    expect(size).toBe(800);
    expect(data.equals(bytes(800))).toBe(true);
    expect(allocated).toBeGreaterThan(0);
    expect(allocated).toBeLessThanOrEqual(4 * 801);
  });

  it("reads a large file whole, in pieces of at most 512 KiB", async () => {
    const path = join(dir, "large.wav");
    const content = bytes(1_300_000);
    writeFileSync(path, content);
    const { size, data, pieces } = await readPart(path);
    expect(size).toBe(content.length);
    expect(data.equals(content)).toBe(true);
    expect(Math.max(...pieces.map((p) => p.length))).toBe(512 * 1024);
  });

  it("reads an empty file as no bytes", async () => {
    const path = join(dir, "empty.wav");
    writeFileSync(path, "");
    const { size, data } = await readPart(path);
    expect(size).toBe(0);
    expect(data.length).toBe(0);
  });
});
