import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, inject, it } from "vitest";
import { REPO } from "./lib/project.js";

const consumer = inject("consumer");
const TUI = join(REPO, "apps", "tui");

/**
 * The third-party packages in the CLI bundle, found by bundling the CLI's source again with
 * esbuild (same entry and externals as apps/tui/tsup.config.ts) and reading which
 * `node_modules/<name>` folders its inputs came from, with their versions.
 */
async function bundledPackages(): Promise<string[]> {
  const result = await build({
    entryPoints: [join(TUI, "src", "cli.tsx")],
    absWorkingDir: TUI,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    splitting: true,
    outdir: join(TUI, ".notices-check"),
    logLevel: "silent",
    external: ["@slng/client", "@slng/emulator", "@slng/bulk", "react-devtools-core"],
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const found = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!m) continue;
    const root = join(TUI, input.slice(0, (m.index ?? 0) + m[0].length));
    found.add(`${m[1]}@${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`);
  }
  return [...found].sort();
}

describe("the installed @slng/tui's THIRD-PARTY-NOTICES.md", () => {
  const notices = readFileSync(
    join(consumer.dir, "node_modules", "@slng", "tui", "dist", "THIRD-PARTY-NOTICES.md"),
    "utf8",
  );
  const sections = notices.split(/^## /m).slice(1);

  it("lists every package bundled into the CLI, with its version", async () => {
    const listed = sections.map((s) => s.split("\n")[0]?.trim()).sort();
    const bundled = await bundledPackages();
    expect(bundled.length).toBeGreaterThan(20);
    expect(listed).toEqual(bundled);
  });

  it("gives each one's licence and its full text", () => {
    for (const section of sections) {
      const [title] = section.split("\n");
      expect(section, title).toMatch(/^Licence: \S+/m);
      expect(section, title).toMatch(/```\n[\s\S]*(permission|copyright|licen[cs]e)[\s\S]{100,}```/i);
    }
  });
});
