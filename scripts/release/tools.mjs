/**
 * The package managers and registry the release check drives, at exact versions, installed
 * with npm once into `node_modules/.cache/slng-release-tools/<versions>` and reused after.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
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
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    const specs = Object.entries(TOOL_VERSIONS).map(([name, version]) => `${name}@${version}`);
    await sh(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--no-package-lock",
        `--before=${TOOLS_RESOLVED_BEFORE}`,
        ...specs,
      ],
      {
        cwd: dir,
        timeoutMs: 300_000,
      },
    );
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  return {
    dir,
    verdaccio: join(modules, "verdaccio", "bin", "verdaccio"),
    yarn1: join(modules, "yarn", "bin", "yarn.js"),
    yarn4: join(modules, "@yarnpkg", "cli-dist", "bin", "yarn.js"),
    bun: join(modules, ".bin", "bun"),
  };
}
