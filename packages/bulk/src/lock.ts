import { randomBytes } from "node:crypto";
import { link, open, readdir, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { processAlive } from "./util.js";

/** Name of the lock file that keeps two runs from sharing one output folder. */
export const LOCK_FILE = ".slng-bulk.lock";

/** What a lock file holds: who took it, where and when (`id` is unique to this taking). */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601). */
  started: string;
  /** The holder process's start tick (`/proc/<pid>/stat` field 22) where known: tells a reused pid apart. */
  procStart?: string;
  id: string;
}

/** Another live run holds the output folder (on this host or another): not a disk problem. */
export class BulkLockError extends Error {
  override readonly name = "BulkLockError";
  constructor(
    message: string,
    readonly holder: Pick<LockHolder, "pid" | "host">,
  ) {
    super(message);
  }
}

async function procStartOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

/** True when the holder (on this host) no longer runs: its pid is gone, or now belongs to a newer process. */
async function gone(h: LockHolder): Promise<boolean> {
  if (h.pid <= 0) return true;
  if (h.pid === process.pid || !processAlive(h.pid)) return h.pid !== process.pid;
  if (!h.procStart) return false;
  const now = await procStartOf(h.pid);
  return now !== undefined && now !== h.procStart;
}

/** Reads a lock file; undefined when it is gone. A file of another format (an older version's bare pid) is read as well as it can be. */
async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.host === "string" && typeof h.id === "string") return h;
  } catch {}
  const pid = Number(text.trim());
  const legacy = Number.isInteger(pid) && pid > 0 ? pid : 0;
  return { pid: legacy, host: hostname(), started: "", id: `legacy-${legacy}` };
}

async function writeTemp(path: string, holder: LockHolder): Promise<string> {
  const tmp = `${path}.${holder.id}.tmp`;
  const h = await open(tmp, "wx");
  try {
    await h.writeFile(JSON.stringify(holder));
    await h.sync();
  } finally {
    await h.close();
  }
  return tmp;
}

/** `link` the complete temp file into place: atomic, and fails with EEXIST while any lock is there. */
async function tryLink(tmp: string, path: string): Promise<boolean> {
  try {
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

const refuse = (h: LockHolder, here: string): never => {
  const where = h.host === here ? "" : ` on host ${h.host}`;
  throw new BulkLockError(
    `another bulk run (process ${h.pid}${where}${h.started ? `, started ${h.started}` : ""}) is using this output folder; ` +
      (h.host === here
        ? "wait for it or stop it first"
        : `wait for it, or stop it on ${h.host}; if it is gone, delete ${LOCK_FILE} in the output folder`),
    h,
  );
};

/** How many times (20 ms apart) to wait for another process that is breaking the same stale lock. */
const MAX_WAITS = 1500;

/**
 * Takes the lock file `path` for `holder`, atomically. The holder's details are written to a
 * temporary file first and hard-linked into place, so the lock is never seen empty or half
 * written, and of two processes only one link succeeds. A lock of this host whose process is
 * gone is broken under a second lock named after it (`<path>.break-<id>`), so two processes that
 * both find it stale cannot both take over (the other waits for the outcome, at most ~30 s). A
 * live holder throws {@link BulkLockError}; so does a lock of another host (its process cannot be
 * checked from here).
 */
async function take(path: string, holder: LockHolder, breaking: boolean): Promise<"taken" | "busy"> {
  const tmp = await writeTemp(path, holder);
  try {
    for (let waits = 0; ; ) {
      if (await tryLink(tmp, path)) return "taken";
      const current = await readHolder(path);
      if (!current) continue;
      if (current.host !== holder.host || !(await gone(current))) {
        if (breaking) return "busy";
        refuse(current, holder.host);
      }
      const breaker = `${path}.break-${current.id}`;
      if ((await take(breaker, holder, true)) === "busy") {
        if (++waits > MAX_WAITS) return breaking ? "busy" : refuse(current, holder.host);
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      try {
        if ((await readHolder(path))?.id === current.id) await rm(path, { force: true });
      } finally {
        await rm(breaker, { force: true });
      }
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Removes break-locks left by processes killed while breaking a lock that is no longer there (not the temp files of processes trying now). */
async function removeOldBreakers(path: string, mine: string): Promise<void> {
  const prefix = `${basename(path)}.break-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && !n.endsWith(".tmp") && !n.startsWith(`${prefix}${mine}`))
      .map((n) => rm(join(dirname(path), n), { force: true })),
  );
}

/**
 * Takes `<dir>/.slng-bulk.lock` for this process (pid, host, start time), atomically; returns the
 * function that releases it. A lock of this host whose process is gone (killed with -9) is taken
 * over, by exactly one of any processes trying at once; a live one, or any lock of another host,
 * is refused with a {@link BulkLockError} naming its host and pid.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    id: randomBytes(8).toString("hex"),
  };
  const procStart = await procStartOf(process.pid);
  if (procStart) holder.procStart = procStart;
  await take(path, holder, false);
  await removeOldBreakers(path, holder.id);
  return async () => {
    if ((await readHolder(path).catch(() => undefined))?.id === holder.id) await rm(path, { force: true });
  };
}
