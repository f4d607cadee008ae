import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { publicPackages } from "./lib/project.js";

const consumer = inject("consumer");
const installed = (name: string) => join(consumer.dir, "node_modules", name);
const PACKAGES = publicPackages().map((p) => p.name);
/** Goal of the "as installed" issue: the four packages together in at most 20 MB of node_modules. */
const NODE_MODULES_BUDGET_BYTES = 20 * 1024 * 1024;

describe.each(PACKAGES)("the installed %s", (name) => {
  it("carries the MIT LICENSE and a README whose links work on npm (absolute or in-page)", () => {
    const dir = installed(name);
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(links.filter((href) => !/^(https?:\/\/|#)/.test(href))).toEqual([]);
  });
});

describe("the installed packages together", () => {
  it(`take at most ${NODE_MODULES_BUDGET_BYTES / 1024 / 1024} MiB of node_modules`, () => {
    console.log(`node_modules of ${PACKAGES.join(", ")}: ${(consumer.packagesBytes / 1e6).toFixed(1)} MB`);
    expect(consumer.packagesBytes).toBeLessThanOrEqual(NODE_MODULES_BUDGET_BYTES);
  });

  it("@slng/tui's bundle imports only Node built-ins and packages it declares", () => {
    const dir = installed("@slng/tui");
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const declared = new Set(Object.keys(manifest.dependencies ?? {}));
    const optional = new Set(["react-devtools-core"]); // loaded by Ink only when DEV=true
    const builtins = new Set(builtinModules);
    const specifiers = new Set<string>();
    for (const file of readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".js"))) {
      const code = readFileSync(join(dir, "dist", file), "utf8");
      for (const m of code.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']([^"'./][^"']*)["']/g))
        specifiers.add(m[1] as string);
    }
    const undeclared = [...specifiers].filter((s) => {
      const bare = s.replace(/^node:/, "");
      const pkg = s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] as string);
      return !builtins.has(bare) && !declared.has(pkg) && !optional.has(pkg);
    });
    expect(undeclared).toEqual([]);
    const req = createRequire(join(dir, "package.json"));
    for (const dep of declared) expect(existsSync(req.resolve(dep)), dep).toBe(true);
  });
});
