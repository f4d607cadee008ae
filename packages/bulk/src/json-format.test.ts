import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { batched, formatJson, formatJsonPieces } from "./json-format.js";
import { summarize, writeReport } from "./report.js";

const BIOME = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));

/** What `biome format` makes of `text` as `bulk-report.json` (the repository's own configuration). */
function biomeFormat(text: string): string {
  const r = spawnSync(BIOME, ["format", "--stdin-file-path=bulk-report.json"], {
    input: text,
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../../..", import.meta.url)),
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe("bulk-report.json is written formatted", () => {
  it("as Biome formats it, so `biome format` and `pnpm lint` leave it unchanged", async () => {
    const records = [
      {
        key: "a.wav",
        state: "done" as const,
        jobId: "bk1",
        saved: ["txt" as const, "srt" as const],
        audioSeconds: 1.5,
      },
      { key: "b.wav", state: "failed" as const, error: 'bad "audio"\nsecond line' },
      { key: `${"long/".repeat(30)}c.wav`, state: "done" as const, jobId: "bk1", saved: ["txt" as const] },
    ];
    const dir = await mkdtemp(join(tmpdir(), "slng-report-"));
    try {
      const path = await writeReport(dir, await summarize(records, { requests: 3, elapsedMs: 10 }), records);
      const text = await readFile(path, "utf8");
      expect(text.endsWith("}\n")).toBe(true);
      expect(JSON.parse(text).inputs[0].outputs).toEqual(["txt", "srt"]);
      expect(biomeFormat(text)).toBe(text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps every value, escapes text, and breaks an array of plain values that does not fit in 120 columns", () => {
    const body = { a: 'x\n"y"', list: Array.from({ length: 30 }, (_, i) => `item-${i}`), empty: {}, none: [] };
    const text = formatJson(body);
    expect(JSON.parse(text)).toEqual(body);
    expect(biomeFormat(text)).toBe(text);
  });
});

/** The pieces joined. */
async function joined(pieces: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const piece of pieces) text += piece;
  return text;
}

/** `items` handed out one at a time, each after a pause (as pages of a database query are). */
async function* oneByOne<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe("the report streamed in pieces", () => {
  it("is the same text as the whole report formatted at once, for no, one and several rows, from rows given at once or one at a time", async () => {
    const head = {
      generated_at: "2026-01-01T00:00:00.000Z",
      total: 2,
      counts: { done: 1 },
      failed: [],
      fatal: undefined,
    };
    const rows = [
      { input: "a.wav", job_id: "bk1", outputs: ["txt", "srt"], error: null },
      { input: `${"long/".repeat(30)}b.wav`, job_id: null, outputs: [], error: 'bad "audio"\nline' },
    ];
    for (const inputs of [[], rows.slice(0, 1), rows]) {
      const whole = formatJson({ ...head, inputs });
      expect(await joined(formatJsonPieces(head, "inputs", inputs))).toBe(whole);
      expect(await joined(batched(formatJsonPieces(head, "inputs", inputs), 10))).toBe(whole);
      expect(await joined(formatJsonPieces(head, "inputs", oneByOne(inputs)))).toBe(whole);
    }
  });
});
