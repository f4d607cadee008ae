#!/usr/bin/env node
/**
 * `pnpm verify:release` (a step of `pnpm check`): a real release to a real registry, then the
 * packages used as installed.
 *
 * In a temporary copy of the repository (reusing the built dist/): `changeset version`, commit,
 * `pnpm release` (pack with the prepack guard, publish in dependency order, tag) into a local
 * Verdaccio; then, in fresh projects outside the repository, install the five packages with npm,
 * pnpm, yarn 1, yarn 4 (PnP) and bun and run the ESM and CommonJS flows (create from a WAV →
 * wait → txt → delete) against each one's installed `slng-emulator`; `npx slng-batch demo` in a
 * pseudo-terminal; `npm i -g @slng/tui` into a temp prefix and `slng-batch --version`. Then a
 * second release, a types-only patch, which must publish only @slng/types and reach the npm
 * project through `npm update` with one copy of @slng/types left. Exits 1 on any failure.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { installProject, managers, PACKAGES } from "./release/consumers.mjs";
import { runDemoInPty, runFlows } from "./release/flows.mjs";
import { startRegistry } from "./release/registry.mjs";
import { addChangeset, copyRepo, release, tagsAtHead, versions } from "./release/repo-copy.mjs";
import { cleanEnv, sh } from "./release/sh.mjs";
import { ensureTools } from "./release/tools.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = {
  dir: join(root, "tests", "consumer", "src", "fixtures"),
  files: ["flow.mjs", "flow.cjs", "flow-steps.cjs"],
};
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const checks = [];

/** Records one check (and prints it as it happens). */
function check(name, ok, detail = "") {
  checks.push({ name, ok });
  detail = detail.replace(/\r\n?/g, "\n").replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g"), "");
  console.log(`  ${ok ? "✔" : "✘"} ${name}${detail ? ` — ${detail}` : ""} (${seconds()} s)`);
}

/** Runs one named stage; a failure is recorded as a failed check and the run continues if it can. */
async function stage(name, fn) {
  try {
    return await fn();
  } catch (error) {
    check(name, false, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every installed copy of a package under a node_modules tree: [path, version]. */
function installedCopies(modules, name) {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry === ".bin" || entry === ".cache") continue;
      const scoped = entry.startsWith("@") ? readdirSync(join(dir, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const pkg of scoped) {
        const pkgDir = join(dir, pkg);
        if (pkg === name) found.push([pkgDir, JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version]);
        walk(join(pkgDir, "node_modules"));
      }
    }
  };
  walk(modules);
  return found;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "slng-release-"));
  const repo = join(work, "repo");
  console.log(`verify:release in ${work}`);
  await sh(
    "pnpm",
    ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...PACKAGES.map((p) => `--filter=${p}`)],
    {
      cwd: root,
      timeoutMs: 600_000,
    },
  );
  try {
    const [tools] = await Promise.all([ensureTools(root), copyRepo(root, repo)]);
    check("tools, build and a copy of the repository ready", true);
    const registry = await startRegistry(tools.verdaccio, join(work, "registry"));
    check(`Verdaccio 6.8.0 listening on ${registry.url}`, true);
    try {
      await verify(work, repo, tools, registry);
    } finally {
      await registry.stop();
    }
  } finally {
    if (!process.argv.includes("--keep")) rmSync(work, { recursive: true, force: true });
  }
}

async function verify(work, repo, tools, registry) {
  const before = versions(repo);
  const first = await release(repo, registry.npmrc, "Version Packages");
  const v1 = versions(repo);
  const version = v1["@slng/types"];
  check(
    "changeset version bumps all five packages to one new version",
    PACKAGES.every((p) => v1[p] === version && before[p] !== version),
    JSON.stringify(v1),
  );
  const order = [...first.stdout.matchAll(/^published (\S+)@/gm)].map((m) => m[1]);
  check("published all five in dependency order", same(order, PACKAGES), order.join(" → "));
  const tags = await tagsAtHead(repo);
  check("tagged the version commit", same(tags, PACKAGES.map((p) => `${p}@${version}`).sort()), tags.join(" "));

  const caches = { yarn4: join(tools.dir, "yarn-berry"), bun: join(tools.dir, "bun-cache") };
  resetCaches(caches);
  const pms = managers(tools, registry, caches);
  const projects = Object.fromEntries(Object.keys(pms).map((pm) => [pm, join(work, "projects", pm)]));
  await Promise.all(
    Object.entries(pms).map(([pm, spec]) =>
      stage(`install with ${pm}`, async () => {
        const took = await installProject(pm, spec, projects[pm], version, FIXTURES);
        check(`install with ${pm}`, true, `${took.toFixed(1)} s`);
      }),
    ),
  );
  checkTarballs(projects.npm, version);

  // The flows and the demo use the installed projects; the global install and the second release
  // only the registry: run the two side by side, then update the npm project to the patch.
  const [, patched] = await Promise.all([
    runInstalled(pms, projects),
    globalInstallAndPatch(work, repo, registry, pms, version),
  ]);
  if (!patched) return;
  await Promise.all([
    stage("npm update to the types patch", async () => {
      await sh("npm", ["update", "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd: projects.npm,
        env: cleanEnv(pms.npm.env),
      });
      const copies = installedCopies(join(projects.npm, "node_modules"), "@slng/types");
      check(
        `npm update installs @slng/types@${patched}, with one copy of @slng/types`,
        copies.length === 1 && copies[0][1] === patched,
        copies.map(([dir, v]) => `${dir.slice(projects.npm.length + 1)}@${v}`).join(", "),
      );
    }),
    stage("pnpm update to the types patch", async () => {
      await sh("pnpm", ["update", "--reporter=append-only"], { cwd: projects.pnpm, env: cleanEnv(pms.pnpm.env) });
      const r = await sh("pnpm", ["list", "--depth=Infinity", "--json", "@slng/types"], {
        cwd: projects.pnpm,
        env: cleanEnv(pms.pnpm.env),
      });
      const found = [
        ...new Set([...r.stdout.matchAll(/"@slng\/types":\s*\{[^}]*?"version":\s*"([^"]+)"/g)].map((m) => m[1])),
      ];
      check(
        `pnpm update (with minimumReleaseAgeExclude '@slng/*') reaches @slng/types@${patched} on release day`,
        same(found, [patched]),
        found.join(", "),
      );
    }),
  ]);
}

/** The ESM and CJS flows in every installed project, then the demo in a pty (npm project). */
async function runInstalled(pms, projects) {
  const { createSampleWav } = await import(pathToFileURL(join(root, "packages", "emulator", "dist", "index.js")).href);
  for (const [pm, spec] of Object.entries(pms)) {
    if (!existsSync(join(projects[pm], "package.json"))) continue;
    await stage(`${pm}: ESM and CJS flows`, async () => {
      const results = await runFlows(spec, projects[pm], createSampleWav({ seconds: 2, seed: 7 }));
      for (const r of results) check(`${pm}: ${r.label} flow`, r.ok, r.detail);
    });
  }
  await stage("npx slng-batch demo in a pty", async () => {
    const r = await runDemoInPty(root, projects.npm, cleanEnv(pms.npm.env));
    check("npx slng-batch demo in a pty exits 0 at DONE", r.code === 0 && r.output.includes("DONE"), `exit ${r.code}`);
  });
}

/**
 * `npm i -g @slng/tui` into a temp prefix and its `--version`; then the second release, a
 * types-only patch. Resolves with the patch version (undefined when the release failed).
 */
async function globalInstallAndPatch(work, repo, registry, pms, version) {
  await stage("npm i -g @slng/tui", async () => {
    const prefix = join(work, "global");
    mkdirSync(prefix);
    const env = cleanEnv({ ...pms.npm.env, npm_config_prefix: prefix });
    await sh("npm", ["install", "-g", "--no-audit", "--no-fund", "--loglevel=error", `@slng/tui@${version}`], {
      cwd: work,
      env,
    });
    const r = await sh(join(prefix, "bin", "slng-batch"), ["--version"], { cwd: work, env });
    check("npm i -g @slng/tui, then slng-batch --version", r.stdout.trim() === version, r.stdout.trim());
  });
  return stage("second release: a types-only patch", async () => {
    addChangeset(repo, "release-check-types-patch", { "@slng/types": "patch" }, "A types-only fix.");
    const second = await release(repo, registry.npmrc, "Version Packages (types patch)");
    const v2 = versions(repo);
    const patched = v2["@slng/types"];
    check(
      "a types patch bumps only @slng/types",
      patched !== version && PACKAGES.filter((p) => p !== "@slng/types").every((p) => v2[p] === version),
      JSON.stringify(v2),
    );
    const published = [...second.stdout.matchAll(/^published (\S+)$/gm)].map((m) => m[1]);
    check(
      "the second release publishes only @slng/types",
      same(published, [`@slng/types@${patched}`]),
      published.join(" "),
    );
    return patched;
  });
}

/**
 * Makes the reused yarn 4 and bun caches safe for a new registry: drops `@slng/*` (same
 * name@version, new bytes) and the cached metadata, whose tarball URLs name the previous run's
 * port. Third-party tarballs stay (content-addressed, the same on every run).
 */
function resetCaches(caches) {
  for (const dir of Object.values(caches)) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true })) {
      const stale = /(^|[/\\])@slng([/\\-]|$)/.test(entry) || /^(metadata|index)$|\.npm$/.test(entry);
      if (stale) rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }
}

/** What the published tarballs carry, seen in the npm project. */
function checkTarballs(project, version) {
  for (const name of PACKAGES) {
    const dir = join(project, "node_modules", name);
    if (!existsSync(dir)) return check(`${name} installed by npm`, false);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const internal = Object.entries(manifest.dependencies ?? {}).filter(([dep]) => dep.startsWith("@slng/"));
    const changelog = existsSync(join(dir, "CHANGELOG.md")) && readFileSync(join(dir, "CHANGELOG.md"), "utf8");
    check(
      `${name}@${version}: CHANGELOG.md, caret ranges, publishConfig, no workspace: left`,
      Boolean(changelog?.includes(`## ${version}`)) &&
        internal.every(([, range]) => range === `^${version}`) &&
        manifest.publishConfig?.provenance === true &&
        !JSON.stringify(manifest).includes("workspace:"),
    );
  }
  const notices = join(project, "node_modules", "@slng", "tui", "dist", "THIRD-PARTY-NOTICES.md");
  check("@slng/tui ships THIRD-PARTY-NOTICES.md", existsSync(notices));
}

try {
  await main();
} catch (error) {
  check("release check", false, error instanceof Error ? error.message : String(error));
}
const failed = checks.filter((c) => !c.ok).length;
console.log(`verify:release: ${checks.length - failed} checks passed, ${failed} failed in ${seconds()} s`);
process.exitCode = failed > 0 ? 1 : 0;
