import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publicPackages, REPO, run } from "./lib/project.js";

const consumer = inject("consumer");
const PACKAGES = publicPackages();
const PUBLIC_NAMES = new Set(PACKAGES.map((p) => p.name));
const GITHUB = "https://github.com/slng-ai/slng-batch-toolkit";

/** The release-related fields of a package manifest. */
interface ReleaseManifest {
  scripts: Record<string, string>;
  files: string[];
  homepage: string;
  bugs: { url: string };
  repository: { directory: string };
  keywords: string[];
  publishConfig: unknown;
  dependencies?: Record<string, string>;
}

describe.each(PACKAGES)("the release manifest of $name", ({ name, dir, manifest }) => {
  const m = manifest as unknown as ReleaseManifest;
  const folder = relative(REPO, dir);

  it("refuses to pack without a fresh build (prepack guard) and ships its CHANGELOG", () => {
    expect(m.scripts.prepack).toBe("node ../../scripts/prepack-guard.mjs");
    expect(m.files).toEqual(expect.arrayContaining(["dist", "CHANGELOG.md"]));
    expect(m.files.filter((f: string) => !["dist", "CHANGELOG.md", "api.md"].includes(f))).toEqual([]);
  });

  it("has homepage, bugs, repository.directory, keywords and a public, provenance-signed publishConfig", () => {
    expect(m.homepage).toBe(`${GITHUB}/tree/main/${folder}#readme`);
    expect(m.bugs).toEqual({ url: `${GITHUB}/issues` });
    expect(m.repository.directory).toBe(folder);
    expect(m.keywords.length).toBeGreaterThan(2);
    expect(m.publishConfig).toEqual({ access: "public", provenance: true });
  });

  it("depends on the other toolkit packages as workspace:^, published as a caret range", () => {
    const internal = Object.entries(m.dependencies ?? {}).filter(([dep]) => PUBLIC_NAMES.has(dep));
    for (const [dep, range] of internal) expect(range, dep).toBe("workspace:^");
    const packed = JSON.parse(readFileSync(join(consumer.dir, "node_modules", name, "package.json"), "utf8"));
    for (const [dep] of internal) expect(packed.dependencies[dep], dep).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(packed.publishConfig).toEqual({ access: "public", provenance: true });
  });
});

describe("pnpm pack of @slng/types in a copy of the repository (the prepack guard)", () => {
  const types = PACKAGES.find((p) => p.name === "@slng/types");
  let root = "";
  let pkg = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "slng-prepack-"));
    pkg = join(root, "packages", "types");
    mkdirSync(join(root, "scripts"));
    cpSync(join(REPO, "scripts", "prepack-guard.mjs"), join(root, "scripts", "prepack-guard.mjs"));
    for (const entry of ["package.json", "src", "tsup.config.ts", "tsconfig.json", "README.md", "LICENSE"]) {
      cpSync(join(types?.dir as string, entry), join(pkg, entry), { recursive: true });
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const pack = () => run("pnpm", ["pack", "--pack-destination", join(root, "out")], { cwd: pkg });
  const tarballs = () => (existsSync(join(root, "out")) ? readdirSync(join(root, "out")) : []);

  it("fails with a message saying how to build when dist/ is missing, and writes no tarball", async () => {
    const r = await pack();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("refusing to pack: @slng/types has no dist/");
    expect(r.stdout + r.stderr).toContain("pnpm exec turbo run build --filter=@slng/types...");
    expect(tarballs()).toEqual([]);
  });

  it("fails when a source file is newer than the build", async () => {
    cpSync(join(types?.dir as string, "dist"), join(pkg, "dist"), { recursive: true });
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(pkg, "src", "index.ts"), future, future);
    const r = await pack();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("dist/ is older than src/index.ts");
    expect(tarballs()).toEqual([]);
  });

  it("packs once the build is newer than every source", async () => {
    const past = new Date(Date.now() - 3_600_000);
    for (const file of readdirSync(join(pkg, "src"), { recursive: true }) as string[]) {
      utimesSync(join(pkg, "src", file), past, past);
    }
    const r = await pack();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(tarballs()).toHaveLength(1);
  });
});

describe("what the tarballs ship", () => {
  const scope = join(consumer.dir, "node_modules", "@slng");
  const shipped = readdirSync(scope).flatMap((pkg) =>
    (readdirSync(join(scope, pkg), { recursive: true }) as string[]).map((file) => ({ pkg, file })),
  );

  it("has no absolute path of a build machine in any file (code, types, maps, notices)", () => {
    const leaks = shipped.filter(({ pkg, file }) => {
      const path = join(scope, pkg, file);
      if (!statSync(path).isFile()) return false;
      const text = readFileSync(path, "utf8");
      return text.includes(REPO) || /node_modules\/\.pnpm\/|["'(:\s]\/(work|home|Users|root)\//.test(text);
    });
    expect(leaks).toEqual([]);
  });

  it("has source maps only for the libraries a user debugs into (client, bulk), with their sources inline", () => {
    const maps = shipped.filter(({ file }) => file.endsWith(".map"));
    expect([...new Set(maps.map(({ pkg }) => pkg))].sort()).toEqual(["bulk", "client"]);
    for (const { pkg, file } of maps) {
      const map = JSON.parse(readFileSync(join(scope, pkg, file), "utf8"));
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      for (const source of map.sources) expect(source, file).toMatch(/^\.\.\/src\//);
    }
  });
});
