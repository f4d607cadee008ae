/**
 * The release as a maintainer runs it, in a temporary copy of the repository: the committed
 * (and new, unignored) files plus the already built `dist/` folders with their timestamps (so
 * the prepack guard sees a fresh build and nothing is rebuilt), a git history to tag, the
 * workspace installed offline from pnpm's store, then `changeset version`, commit, publish.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { publicPackages } from "../publish.mjs";
import { cleanEnv, sh } from "./sh.mjs";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "release check",
  GIT_AUTHOR_EMAIL: "release-check@localhost",
  GIT_COMMITTER_NAME: "release check",
  GIT_COMMITTER_EMAIL: "release-check@localhost",
};

/** Copies the repository at `root` (tracked and new files, built dist/) into `dest`. */
export async function copyRepo(root, dest) {
  const list = await sh("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
  for (const file of list.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(root, file), join(dest, file), { preserveTimestamps: true });
  }
  for (const { dir, manifest } of publicPackages(root)) {
    const dist = join(dir, "dist");
    if (!existsSync(dist)) throw new Error(`${manifest.name} is not built: run pnpm build first`);
    cpSync(dist, join(dest, dist.slice(root.length)), { recursive: true, preserveTimestamps: true });
  }
  const env = cleanEnv(GIT_ENV);
  await sh("git", ["init", "-q", "-b", "main"], { cwd: dest, env });
  await sh("git", ["add", "-A"], { cwd: dest, env });
  await sh("git", ["commit", "-q", "-m", "the work tree under test"], { cwd: dest, env });
  const filters = ["--filter", ".", "--filter", "./packages/*", "--filter", "./apps/*"];
  await sh("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", "--ignore-scripts", ...filters], {
    cwd: dest,
    env: cleanEnv({ CI: "1" }),
    timeoutMs: 300_000,
  });
}

/** The versions of the public packages in the copy, by name. */
export function versions(dest) {
  return Object.fromEntries(publicPackages(dest).map(({ manifest }) => [manifest.name, manifest.version]));
}

/**
 * One release: `changeset version`, commit the bump, then `pnpm release` (scripts/publish.mjs:
 * pack with the guard, publish in dependency order, tag) against the registry in `npmrc`.
 * Returns publish's output.
 */
export async function release(dest, npmrc, message) {
  const env = cleanEnv({ ...GIT_ENV, NPM_CONFIG_USERCONFIG: npmrc, CI: "1" });
  await sh("pnpm", ["exec", "changeset", "version"], { cwd: dest, env });
  await sh("git", ["add", "-A"], { cwd: dest, env });
  await sh("git", ["commit", "-q", "-m", message], { cwd: dest, env });
  return sh("node", ["scripts/publish.mjs", "--provenance=false"], { cwd: dest, env, timeoutMs: 300_000 });
}

/** Adds a changeset file to the copy. */
export function addChangeset(dest, name, bumps, summary) {
  const front = Object.entries(bumps)
    .map(([pkg, bump]) => `"${pkg}": ${bump}`)
    .join("\n");
  writeFileSync(join(dest, ".changeset", `${name}.md`), `---\n${front}\n---\n\n${summary}\n`);
}

/** The git tags pointing at HEAD in the copy. */
export async function tagsAtHead(dest) {
  const r = await sh("git", ["tag", "--points-at", "HEAD"], { cwd: dest });
  return r.stdout.split("\n").filter(Boolean).sort();
}
