import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JOURNAL_FILE, LOCK_FILE, openFileJournal, replay } from "./journal.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), "slng-journal-"));
  dirs.push(d);
  return d;
}

describe("the file journal", () => {
  it("merges entries per key, last write wins", () => {
    const { records } = replay(
      [
        '{"v":1,"salt":"abc"}',
        '{"key":"a.wav","state":"uploading","jobId":"x1"}',
        '{"key":"b.wav","state":"pending"}',
        '{"key":"a.wav","state":"queued"}',
      ].join("\n"),
    );
    expect(records.get("a.wav")).toEqual({ key: "a.wav", state: "queued", jobId: "x1" });
    expect(records.get("b.wav")?.state).toBe("pending");
  });

  it("ignores a torn last line (a kill mid-write) and keeps every whole one", () => {
    const text = '{"v":1,"salt":"s1"}\n{"key":"a.wav","state":"queued","jobId":"j1"}\n{"key":"a.wav","state":"do';
    const { salt, records } = replay(text);
    expect(salt).toBe("s1");
    expect(records.get("a.wav")?.state).toBe("queued");
  });

  it("keeps its salt across reopenings, compacts on load, and appends durably", async () => {
    const dir = await tmp();
    const j1 = openFileJournal(dir);
    const first = await j1.load();
    expect(first.salt).toMatch(/^[0-9a-f]{16}$/);
    for (const state of ["pending", "uploading", "queued", "processing", "downloading", "done"] as const)
      await j1.append({ key: "a.wav", state });
    await j1.close();
    const raw = await readFile(join(dir, JOURNAL_FILE), "utf8");
    expect(raw.trim().split("\n")).toHaveLength(7);
    await appendFile(join(dir, JOURNAL_FILE), '{"key":"a.wav","sta');
    const j2 = openFileJournal(dir);
    const second = await j2.load();
    expect(second.salt).toBe(first.salt);
    expect(second.records.get("a.wav")?.state).toBe("done");
    await j2.append({ key: "b.wav", state: "queued" });
    await j2.close();
    const lines = (await readFile(join(dir, JOURNAL_FILE), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => JSON.parse(l))).toBe(true);
  });

  it("groups concurrent appends and resolves each once written", async () => {
    const dir = await tmp();
    const j = openFileJournal(dir);
    await j.load();
    await Promise.all(Array.from({ length: 200 }, (_, i) => j.append({ key: `k${i}.wav`, state: "queued" })));
    await j.close();
    const { records } = replay(await readFile(join(dir, JOURNAL_FILE), "utf8"));
    expect(records.size).toBe(200);
  });

  it("refuses a second run on the same folder while the first lives, and takes over a dead one's lock", async () => {
    const dir = await tmp();
    const first = openFileJournal(dir);
    await first.load();
    await writeFile(join(dir, LOCK_FILE), String(process.ppid));
    await expect(openFileJournal(dir).load()).rejects.toThrow(
      /another bulk run \(process \d+\) is using this output folder/,
    );
    await writeFile(join(dir, LOCK_FILE), "999999999");
    const second = openFileJournal(dir);
    await second.load();
    await second.close();
    await first.close();
  });

  it("starts afresh from an unreadable journal without failing", async () => {
    const dir = await tmp();
    await writeFile(join(dir, JOURNAL_FILE), "\u0000\u0000garbage\n");
    const j = openFileJournal(dir);
    const { records } = await j.load();
    expect(records.size).toBe(0);
    await j.close();
  });
});
