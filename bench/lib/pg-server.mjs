import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * Starts a throw-away PostgreSQL server from Debian's `postgresql` package (initdb as the
 * `postgres` user when root) on a free loopback port; `stop()` stops it and removes its folder.
 */
export async function startPostgres() {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) throw new Error("PostgreSQL is missing: apt-get install -y postgresql");
  const bin = join(root, version, "bin");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "slng-bench-pg-"));
  const password = `pw${Math.random().toString(36).slice(2, 12)}`;
  writeFileSync(join(dir, "pw"), password);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const run = (tool, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { stdio: "ignore" })
      : execFileSync(join(bin, tool), args, { stdio: "ignore" });
  const port = await freePort();
  run("initdb", [
    "-D",
    join(dir, "data"),
    "-U",
    "slng",
    `--pwfile=${join(dir, "pw")}`,
    "--auth-host=scram-sha-256",
    "--auth-local=trust",
    "--no-sync",
  ]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  run("pg_ctl", ["-D", join(dir, "data"), "-o", opts, "-l", join(dir, "log"), "-w", "start"]);
  return {
    url: `postgres://slng:${password}@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      try {
        run("pg_ctl", ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
