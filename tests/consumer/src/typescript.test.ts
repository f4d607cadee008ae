import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { run } from "./lib/project.js";

const consumer = inject("consumer");

describe("a TypeScript consumer of the installed packages", () => {
  it.each([
    ["nodenext, ES module (.mts)", "tsconfig.esm.json"],
    ["nodenext, CommonJS (.cts)", "tsconfig.cjs.json"],
    ["moduleResolution bundler", "tsconfig.bundler.json"],
  ])("type-checks under %s, with lines that must not compile (the types are not any)", async (_, tsconfig) => {
    const tsc = join(consumer.dir, "node_modules", ".bin", "tsc");
    const r = await run(tsc, ["--noEmit", "-p", tsconfig], { cwd: consumer.dir });
    expect(r.code, `tsc -p ${tsconfig}:\n${r.stdout}${r.stderr}`).toBe(0);
  });

  it("would fail if a @ts-expect-error line compiled (an unused directive is an error)", async () => {
    const tsc = join(consumer.dir, "node_modules", ".bin", "tsc");
    const probe = "probe-any.ts";
    await writeFile(
      join(consumer.dir, probe),
      "const anything: any = 1;\n// @ts-expect-error\nexport const n: number = anything;\n",
    );
    try {
      const r = await run(tsc, ["--noEmit", "--strict", probe], { cwd: consumer.dir });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toContain("TS2578");
    } finally {
      await rm(join(consumer.dir, probe));
    }
  });
});
