/**
 * A real local npm registry for the release check: Verdaccio on a free loopback port, its
 * storage in a temp folder, `@slng/*` served only from there (published by the check) and
 * everything else proxied to the registry npm is configured with. Stopped by `stop()`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { cleanEnv, sh } from "./sh.mjs";

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function config(storage, uplink) {
  return `storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, "htpasswd"))}
    max_users: 10
uplinks:
  npmjs:
    url: ${JSON.stringify(uplink)}
    timeout: 60s
    maxage: 30m
packages:
  "@slng/*":
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  "**":
    access: $all
    publish: $authenticated
    proxy: npmjs
server:
  keepAliveTimeout: 60
publish:
  allow_offline: true
log: { type: stdout, format: pretty, level: warn }
`;
}

async function waitUntilUp(url, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}-/ping`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Verdaccio did not answer within 30 s:\n${output()}`);
}

/** Adds a user and returns its token (what `npm adduser` does). */
async function addUser(url) {
  const res = await fetch(`${url}-/user/org.couchdb.user:release-check`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-check", password: "release-check-password" }),
  });
  const body = await res.json();
  if (!res.ok || !body.token) throw new Error(`Verdaccio refused the user: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Starts Verdaccio with storage in `dir`, writes `dir/npmrc` (registry + token) and returns the
 * URL, the npmrc path, and `stop()`.
 */
export async function startRegistry(verdaccioBin, dir) {
  mkdirSync(dir, { recursive: true });
  const uplink = (await sh("npm", ["config", "get", "registry"], { cwd: dir })).stdout.trim();
  const storage = join(dir, "storage");
  const configFile = join(dir, "verdaccio.yaml");
  writeFileSync(configFile, config(storage, uplink));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [verdaccioBin, "--config", configFile, "--listen", `127.0.0.1:${port}`], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    await waitUntilUp(url, child, () => out);
    const token = await addUser(url);
    const npmrc = join(dir, "npmrc");
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, port, npmrc, stop, output: () => out };
  } catch (error) {
    await stop();
    throw error;
  }
}
