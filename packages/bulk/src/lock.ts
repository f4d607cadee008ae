import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/** Name of the lock file that keeps two runs from sharing one output folder. */
export const LOCK_FILE = ".slng-bulk.lock";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Takes `<dir>/.slng-bulk.lock` (holding this process id). A lock left by a process that no
 * longer runs (killed with -9) is taken over; one held by a live process is refused.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  for (let tries = 0; ; tries++) {
    try {
      const h = await open(file, "wx");
      await h.write(String(process.pid));
      await h.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || tries > 0) throw e;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new Error(`another bulk run (process ${pid}) is using this output folder; wait for it or stop it first`);
      await rm(file, { force: true });
    }
  }
}
