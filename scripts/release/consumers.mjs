/**
 * Fresh user projects outside the repository, one per package manager, installing the five
 * packages from the local registry exactly as a user would on release day — including the lines
 * users add for the age gates (pnpm 12 `minimumReleaseAgeExclude`, yarn 4
 * `npmPreapprovedPackages`) — plus the commands that run a script and a bin in each.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, sh } from "./sh.mjs";

/** The five published packages, as a user's dependencies. */
export const PACKAGES = ["@slng/types", "@slng/client", "@slng/emulator", "@slng/bulk", "@slng/tui"];

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Package-manager specifics: files that configure the registry (and the age gates), the
 * install command, and how to run `node <script>` and a bin of the project.
 */
export function managers(tools, registry, caches) {
  const npmEnv = { NPM_CONFIG_USERCONFIG: registry.npmrc, npm_config_registry: registry.url };
  return {
    npm: {
      env: npmEnv,
      files: {},
      install: ["npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]],
      node: (script) => [process.execPath, [script]],
      bin: (name, args) => [join("node_modules", ".bin", name), args],
    },
    pnpm: {
      env: { ...npmEnv, CI: "1" },
      files: { "pnpm-workspace.yaml": "minimumReleaseAgeExclude:\n  - '@slng/*'\n" },
      install: ["pnpm", ["install", "--no-frozen-lockfile", "--reporter=append-only"]],
      node: (script) => [process.execPath, [script]],
      bin: (name, args) => [join("node_modules", ".bin", name), args],
    },
    yarn1: {
      env: npmEnv,
      files: { ".yarnrc": `registry "${registry.url}"\n` },
      install: [
        process.execPath,
        [tools.yarn1, "install", "--non-interactive", "--no-progress", "--network-concurrency", "8"],
      ],
      node: (script) => [process.execPath, [script]],
      bin: (name, args) => [join("node_modules", ".bin", name), args],
    },
    yarn4: {
      env: { ...npmEnv, YARN_ENABLE_TELEMETRY: "0", YARN_ENABLE_PROGRESS_BARS: "0" },
      files: {
        ".yarnrc.yml": [
          "nodeLinker: pnp",
          `npmRegistryServer: "${registry.url}"`,
          `unsafeHttpWhitelist:\n  - "127.0.0.1"`,
          `npmPreapprovedPackages:\n  - "@slng/*"`,
          `globalFolder: ${JSON.stringify(caches.yarn4)}`,
          "enableGlobalCache: true",
          "enableTelemetry: false",
          "# a new project's first install writes its lockfile, also where CI=true makes yarn immutable",
          "enableImmutableInstalls: false",
          "",
        ].join("\n"),
        "yarn.lock": "",
      },
      install: [process.execPath, [tools.yarn4, "install"]],
      node: (script) => [process.execPath, [tools.yarn4, "node", script]],
      bin: (name, args) => [process.execPath, [tools.yarn4, "run", name, ...args]],
    },
    bun: {
      env: { ...npmEnv, BUN_INSTALL_CACHE_DIR: caches.bun },
      files: { "bunfig.toml": `[install]\nregistry = "${registry.url}"\n` },
      install: [tools.bun, ["install", "--no-progress"]],
      node: (script) => [tools.bun, [script]],
      bin: (name, args) => [join("node_modules", ".bin", name), args],
    },
  };
}

/**
 * Makes `dir` a fresh project for `pm` depending on the five packages at `^version`, with the
 * fixtures copied in, and installs it. Returns the seconds the install took.
 */
export async function installProject(pm, spec, dir, version, fixtures) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, "package.json"), {
    name: `slng-release-check-${pm}`,
    version: "1.0.0",
    private: true,
    dependencies: Object.fromEntries(PACKAGES.map((name) => [name, `^${version}`])),
  });
  for (const [file, text] of Object.entries(spec.files)) writeFileSync(join(dir, file), text);
  for (const file of fixtures.files) copyFileSync(join(fixtures.dir, file), join(dir, file));
  const started = Date.now();
  const [cmd, args] = spec.install;
  await sh(cmd, args, { cwd: dir, env: cleanEnv(spec.env), timeoutMs: 240_000 });
  return (Date.now() - started) / 1000;
}
