import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { lockDir } from "./lock.js";
import type { BulkStore, InputRecord, JournalEntry } from "./types.js";

export { LOCK_FILE } from "./lock.js";

/** Name of the journal file inside the output folder. */
export const JOURNAL_FILE = ".slng-bulk.jsonl";

interface SaltLine {
  salt: string;
  v: 1;
}

/** Merges JSONL journal text into records; a torn or unreadable line (a crash mid-write) is ignored. */
export function replay(text: string): { salt?: string; records: Map<string, InputRecord> } {
  const records = new Map<string, InputRecord>();
  let salt: string | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let entry: (JournalEntry & Partial<SaltLine>) | undefined;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!entry || typeof entry !== "object") continue;
    if (typeof entry.salt === "string" && entry.key === undefined) {
      salt ??= entry.salt;
      continue;
    }
    if (typeof entry.key !== "string") continue;
    const before = records.get(entry.key);
    records.set(entry.key, { ...(before ?? { state: "pending" }), ...entry } as InputRecord);
  }
  return { ...(salt ? { salt } : {}), records };
}

/**
 * The default {@link BulkStore}: an append-only JSONL file in the output folder. Appends are
 * grouped: every entry waiting is written in one `write` and made durable with one `fdatasync`
 * before their promises resolve. On load the journal is compacted (one line per input) into a
 * temporary file, fsynced and renamed over the old one, so it never grows across reruns and a
 * kill at any instant leaves either the old or the new file. A lock file keeps a second run
 * from using the same folder at the same time. No native module.
 */
export function openFileJournal(dir: string): BulkStore {
  const file = join(dir, JOURNAL_FILE);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let queue: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  let unlock: (() => Promise<void>) | undefined;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (!handle) throw new Error("the journal is closed");
        await handle.write(batch.map((b) => b.line).join(""));
        await handle.datasync();
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
    flushing = undefined;
  }

  return {
    async load() {
      await mkdir(dir, { recursive: true });
      unlock = await lockDir(dir);
      const text = await readFile(file, "utf8").catch(() => "");
      const { salt: found, records } = replay(text);
      const salt = found ?? randomBytes(8).toString("hex");
      const lines = [JSON.stringify({ v: 1, salt }), ...[...records.values()].map((r) => JSON.stringify(r))];
      const tmp = `${file}.${process.pid}.tmp`;
      const h = await open(tmp, "w");
      await h.write(`${lines.join("\n")}\n`);
      await h.sync();
      await h.close();
      await rename(tmp, file);
      await syncDir(dir);
      handle = await open(file, "a");
      return { salt, records };
    },
    append(entry) {
      return new Promise<void>((done, fail) => {
        queue.push({ line: `${JSON.stringify(entry)}\n`, done, fail });
        flushing ??= Promise.resolve().then(flush);
      });
    },
    async close() {
      while (flushing) await flushing;
      await handle?.close();
      handle = undefined;
      await unlock?.();
      unlock = undefined;
    },
  };
}

/** fsyncs a directory so a rename in it is durable (a no-op where directories cannot be opened). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, "r");
    await h.sync().catch(() => {});
    await h.close();
  } catch {}
}
