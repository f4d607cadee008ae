import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { processAlive } from "./util.js";

const run = promisify(execFile);

/** A PostgreSQL server started for tests: where it is and how to stop and start it again. */
export interface TestPg {
  /** `postgres://slng:<password>@127.0.0.1:<port>/postgres`. */
  url: string;
  password: string;
  port: number;
  bin: string;
  dir: string;
  asRoot: boolean;
}

async function findBin(): Promise<string | undefined> {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? (await readdir(root)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, "bin")).find((b) => existsSync(join(b, "initdb")));
}

/** The server binaries: Debian's `postgresql` package, installed with apt-get when missing and we are root. */
async function serverBin(): Promise<string> {
  const found = await findBin();
  if (found) return found;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get"))
    throw new Error(
      "PostgreSQL server binaries are missing: install Debian's postgresql package (apt-get install postgresql)",
    );
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update"], { env, maxBuffer: 64 << 20 });
  await run("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { env, maxBuffer: 64 << 20 });
  const bin = await findBin();
  if (!bin) throw new Error("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found");
  return bin;
}

/** The first port the kernel hands out for outgoing connections (Linux), else 32768. */
async function ephemeralLow(): Promise<number> {
  const range = await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").catch(() => "");
  const low = Number(range.trim().split(/\s+/)[0]);
  return Number.isInteger(low) && low > 11_000 ? low : 32_768;
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

/**
 * A free loopback port below the kernel's range for outgoing connections: a port from that range
 * (what `listen(0)` gives) can be taken as the source port of some outgoing connection while the
 * server is stopped, and the restart then fails to bind.
 */
async function freePort(): Promise<number> {
  const high = await ephemeralLow();
  for (let tries = 0; tries < 200; tries++) {
    const port = 10_000 + Math.floor(Math.random() * (high - 10_000));
    if (await canListen(port)) return port;
  }
  throw new Error("no free loopback port below the ephemeral range");
}

/** Runs a server binary, as the `postgres` user when we are root (initdb refuses root). */
function asServer(pg: Pick<TestPg, "bin" | "asRoot">, tool: string, args: string[]) {
  const path = join(pg.bin, tool);
  return pg.asRoot ? run("runuser", ["-u", "postgres", "--", path, ...args]) : run(path, args);
}

/** Starts (or restarts after {@link stopPg}) the test server; waits until it accepts connections. */
export async function startPg(pg: TestPg): Promise<void> {
  const opts = `-p ${pg.port} -k ${pg.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  await asServer(pg, "pg_ctl", ["-D", join(pg.dir, "data"), "-o", opts, "-l", join(pg.dir, "log"), "-w", "start"]);
}

/** Stops the test server at once (`-m fast`: sessions are cut, as when a database goes away). */
export async function stopPg(pg: TestPg): Promise<void> {
  await asServer(pg, "pg_ctl", ["-D", join(pg.dir, "data"), "-m", "fast", "-w", "stop"]);
}

/**
 * Stops and removes the test servers of earlier test runs whose process is gone (a run killed
 * before its teardown leaves its server running): each folder names its owner in `owner.pid`.
 */
async function removeOrphans(bin: string, asRoot: boolean): Promise<void> {
  const names = (await readdir(tmpdir()).catch(() => [] as string[])).filter((n) => n.startsWith("slng-bulk-pg-"));
  for (const name of names) {
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, "owner.pid"), "utf8").catch(() => ""));
    if (!Number.isInteger(owner) || owner <= 0 || processAlive(owner)) continue;
    await removePg({ url: "", password: "", port: 0, bin, dir, asRoot });
  }
}

/** Creates a fresh cluster in a temp folder (initdb with a password) and starts it on a free loopback port. */
export async function createPg(): Promise<TestPg> {
  const bin = await serverBin();
  const asRoot = process.getuid?.() === 0;
  await removeOrphans(bin, asRoot);
  const dir = await mkdtemp(join(tmpdir(), "slng-bulk-pg-"));
  await writeFile(join(dir, "owner.pid"), String(process.pid));
  const password = `pw${Math.random().toString(36).slice(2, 12)}`;
  await writeFile(join(dir, "pw"), password);
  if (asRoot) await run("chown", ["-R", "postgres:postgres", dir]);
  else await chmod(dir, 0o700);
  const pg: TestPg = { url: "", password, port: await freePort(), bin, dir, asRoot };
  await asServer(pg, "initdb", [
    ...["-D", join(dir, "data"), "-U", "slng", `--pwfile=${join(dir, "pw")}`],
    ...["--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"],
  ]);
  await startPg(pg);
  pg.url = `postgres://slng:${password}@127.0.0.1:${pg.port}/postgres`;
  return pg;
}

/** Stops the server and removes its folder. */
export async function removePg(pg: TestPg): Promise<void> {
  await stopPg(pg).catch(() => {});
  await rm(pg.dir, { recursive: true, force: true });
}
