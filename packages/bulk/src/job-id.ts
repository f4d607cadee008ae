import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

/**
 * Hex SHA-256 of a file's bytes, read in pieces into one buffer of at most 256 KiB (flat memory
 * for any size). The buffer is no larger than the file and one byte, so hashing a small file
 * allocates a small buffer (from Node's shared pool when under 4 KiB), not the 64 KiB per read of
 * a read stream.
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const buffer = Buffer.allocUnsafe(Math.min(256 * 1024, size + 1));
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex");
}

/** Hex SHA-256 of a string. */
export const hashText = (text: string): string => createHash("sha256").update(text).digest("hex");

/** JSON with object keys sorted, so equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

/**
 * The job id of an input: `bk` + 30 hex digits of SHA-256 over the run's salt, the input's content
 * hash, the job's settings (transcription config, model, output config) and the retry attempt.
 * The same recording with the same settings in the same output folder always gets the same id,
 * so a create re-sent after a crash is refused by the server as "already in use" instead of
 * making a second job; a changed file, changed settings or `--retry-failed` give a new id.
 */
export function deriveJobId(parts: { salt: string; sha256: string; settings: unknown; attempt: number }): string {
  return `bk${hashText(canonicalJson(parts)).slice(0, 30)}`;
}
