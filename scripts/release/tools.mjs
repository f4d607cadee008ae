/**
 * The package managers and registry the release check drives, at exact versions, installed
 * with npm once into `node_modules/.cache/slng-release-tools/<versions>` and reused after.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sh } from "./sh.mjs";

/** Exact versions: Verdaccio 6.10+ needs Node 22; yarn 4 is the PnP one with the age gate. */
export const TOOL_VERSIONS = {
  verdaccio: "6.8.0",
  yarn: "1.22.22",
  "@yarnpkg/cli-dist": "4.18.1",
  bun: "1.4.4",
};

/**
 * Their dependencies are resolved as the registry stood on this date (`npm install --before`),
 * so a later release of a transitive dependency (one that needs Node 22, say) cannot break a
 * fresh CI machine. Move it forward when changing a version above.
 */
export const TOOLS_RESOLVED_BEFORE = "2026-12-06T00:00:00Z";

/** Paths of the installed tools. */
export async function ensureTools(root) {
  const key = Object.entries(TOOL_VERSIONS)
    .map(([name, version]) => `${name.replace(/[@/]/g, "")}-${version}`)
    .join("_")
    .concat(`_before-${TOOLS_RESOLVED_BEFORE.slice(0, 10)}`);
  const dir = join(root, "node_modules", ".cache", "slng-release-tools", key);
  const modules = join(dir, "node_modules");
  const marker = join(dir, "installed");
  if (!existsSync(marker)) {
    // Installed beside it, then renamed into place: a concurrent run never sees half a tree.
    const staging = `${dir}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, "package.json"), '{ "private": true }\n');
    const specs = Object.entries(TOOL_VERSIONS).map(([name, version]) => `${name}@${version}`);
    const flags = ["--no-audit", "--no-fund", "--loglevel=error", "--no-package-lock"];
    await sh("npm", ["install", ...flags, `--before=${TOOLS_RESOLVED_BEFORE}`, ...specs], {
      cwd: staging,
      timeoutMs: 300_000,
    });
    writeFileSync(join(staging, "installed"), `${new Date().toISOString()}\n`);
    if (existsSync(marker)) rmSync(staging, { recursive: true, force: true });
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  }
  return {
    dir,
    verdaccio: join(modules, "verdaccio", "bin", "verdaccio"),
    yarn1: join(modules, "yarn", "bin", "yarn.js"),
    yarn4: join(modules, "@yarnpkg", "cli-dist", "bin", "yarn.js"),
    bun: join(modules, ".bin", "bun"),
  };
}
