import { randomBytes } from "node:crypto";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { lockDir } from "./lock.js";
import { RecordTable } from "./record-table.js";
import type { BulkStore, JournalEntry, RecordMap } from "./types.js";

export { LOCK_FILE } from "./lock.js";

/** Name of the journal file inside the output folder. */
export const JOURNAL_FILE = ".slng-bulk.jsonl";

interface SaltLine {
  salt: string;
  v: 1;
}

/** Folds journal lines into records, one line at a time; a torn or unreadable line (a crash mid-write) is ignored. */
class Replay {
  readonly records = new RecordTable();
  salt: string | undefined;

  add(line: string): void {
    if (line === "") return;
    let entry: (JournalEntry & Partial<SaltLine>) | undefined;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (!entry || typeof entry !== "object") return;
    if (typeof entry.salt === "string" && entry.key === undefined) {
      this.salt ??= entry.salt;
      return;
    }
    if (typeof entry.key !== "string") return;
    this.records.merge(entry);
  }

  result(): { salt?: string; records: RecordTable } {
    return { ...(this.salt ? { salt: this.salt } : {}), records: this.records };
  }
}

/** Merges JSONL journal text into records; a torn or unreadable line (a crash mid-write) is ignored. */
export function replay(text: string): { salt?: string; records: RecordTable } {
  const r = new Replay();
  for (const line of text.split("\n")) r.add(line);
  return r.result();
}

/**
 * {@link replay} of the journal file at `file`, read as a stream (a journal of a large run is
 * many times the size of its records); none when the file does not exist.
 */
export async function readJournal(file: string): Promise<{ salt?: string; records: RecordTable }> {
  const r = new Replay();
  const handle = await open(file, "r").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (!handle) return r.result();
  try {
    for await (const line of handle.readLines({ encoding: "utf8" })) r.add(line);
  } finally {
    await handle.close().catch(() => {});
  }
  return r.result();
}

/** Writes the compacted journal (the salt line, then one line per record) to `path`, in pieces, and fsyncs it. */
async function writeCompacted(path: string, salt: string, records: RecordMap): Promise<void> {
  const h = await open(path, "w");
  try {
    let chunk = `${JSON.stringify({ v: 1, salt })}\n`;
    for (const r of records.values()) {
      chunk += `${JSON.stringify(r)}\n`;
      if (chunk.length >= 65_536) {
        await h.write(chunk);
        chunk = "";
      }
    }
    await h.write(chunk);
    await h.sync();
  } finally {
    await h.close();
  }
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
      const { salt: found, records } = await readJournal(file);
      const salt = found ?? randomBytes(8).toString("hex");
      const tmp = `${file}.${process.pid}.tmp`;
      await writeCompacted(tmp, salt, records);
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
