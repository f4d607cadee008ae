#!/usr/bin/env node
/**
 * `pnpm release`: publishes every public workspace package whose version is not on the registry
 * yet, one at a time in dependency order (@slng/types → client → emulator → bulk → tui), so a
 * failure midway never leaves a published package depending on a version that does not exist.
 * Each package is packed with `pnpm pack` (its prepack guard refuses a missing or stale build;
 * `workspace:^` becomes `^x.y.z`) and the tarball published with `npm publish`, which reads
 * `publishConfig` (access public, provenance through the CI's OIDC token). Then `changeset tag`
 * tags the released versions (`@slng/types@0.1.0`, …), unless `--no-git-tag` is given.
 *
 * Other arguments go to `npm publish` (e.g. `--provenance=false` outside CI). The registry is
 * npm's configured one (`npm_config_registry` / `.npmrc`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The order to keep between packages that do not depend on each other. */
const PREFERRED = ["@slng/types", "@slng/client", "@slng/emulator", "@slng/bulk", "@slng/tui"];

/** The public workspace packages (`packages/*`, `apps/*`, not `private`). */
export function publicPackages(repo = root) {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(repo, group))
      .map((name) => join(repo, group, name))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
      .filter(({ manifest }) => manifest.private !== true),
  );
}

/** The packages sorted so that every package comes after the toolkit packages it depends on. */
export function dependencyOrder(packages) {
  const names = new Set(packages.map((p) => p.manifest.name));
  const rank = (name) => (PREFERRED.includes(name) ? PREFERRED.indexOf(name) : PREFERRED.length);
  const pending = [...packages].sort(
    (a, b) => rank(a.manifest.name) - rank(b.manifest.name) || a.manifest.name.localeCompare(b.manifest.name),
  );
  const done = new Set();
  const order = [];
  while (pending.length > 0) {
    const index = pending.findIndex((p) =>
      Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies })
        .filter((dep) => names.has(dep))
        .every((dep) => done.has(dep)),
    );
    if (index < 0) throw new Error(`dependency cycle among ${pending.map((p) => p.manifest.name).join(", ")}`);
    const [next] = pending.splice(index, 1);
    done.add(next.manifest.name);
    order.push(next);
  }
  return order;
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: process.env, ...opts });
}

/** The registry npm publishes to (`npm_config_registry`, `.npmrc`), with a trailing slash. */
function registryUrl() {
  const r = sh("npm", ["config", "get", "registry"]);
  if (r.status !== 0) throw new Error(`npm config get registry failed: ${r.stderr}`);
  return r.stdout.trim().replace(/\/?$/, "/");
}

/** Whether `name@version` is on the registry (one metadata request; 404 means a new package). */
async function isPublished(registry, name, version) {
  const res = await fetch(`${registry}${name.replace("/", "%2f")}`, {
    headers: { accept: "application/vnd.npm.install-v1+json" },
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`${registry} answered ${res.status} for ${name}`);
  const packument = await res.json();
  return Boolean(packument.versions?.[version]);
}

async function main() {
  const args = process.argv.slice(2);
  const gitTag = !args.includes("--no-git-tag");
  const npmArgs = args.filter((a) => a !== "--no-git-tag");
  const registry = registryUrl();
  const packDir = mkdtempSync(join(tmpdir(), "slng-publish-"));
  try {
    for (const { dir, manifest } of dependencyOrder(publicPackages())) {
      const id = `${manifest.name}@${manifest.version}`;
      if (await isPublished(registry, manifest.name, manifest.version)) {
        console.log(`${id} is already published: skipped`);
        continue;
      }
      const before = new Set(readdirSync(packDir));
      const pack = sh("pnpm", ["pack", "--pack-destination", packDir], { cwd: dir, stdio: "inherit" });
      const tarball = readdirSync(packDir).find((f) => !before.has(f));
      if (pack.status !== 0 || !tarball) throw new Error(`pnpm pack of ${id} failed: nothing was published after it`);
      const publish = sh("npm", ["publish", join(packDir, tarball), ...npmArgs], { stdio: "inherit" });
      if (publish.status !== 0) throw new Error(`npm publish of ${id} failed: nothing was published after it`);
      console.log(`published ${id}`);
    }
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
  if (gitTag) {
    const tag = sh("pnpm", ["exec", "changeset", "tag"], { stdio: "inherit" });
    if (tag.status !== 0) throw new Error("changeset tag failed");
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await main();
  } catch (error) {
    console.error(`release: ${error.message}`);
    process.exitCode = 1;
  }
}
