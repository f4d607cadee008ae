import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");
const script = join(root, "scripts", "check-generated.mjs");
const committed = join(import.meta.dirname, "generated");
const work = mkdtempSync(join(tmpdir(), "slng-drift-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function check(dir: string) {
  return spawnSync(process.execPath, [script, "--generated-dir", dir], { encoding: "utf8" });
}

describe("drift check (scripts/check-generated.mjs)", { timeout: 120_000 }, () => {
  it("passes on the committed generated files", () => {
    const r = check(committed);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("fails on a hand edit and prints the command that fixes it", () => {
    const copy = join(work, "edited");
    cpSync(committed, copy, { recursive: true });
    appendFileSync(join(copy, "openapi.gen.ts"), "\nexport type HandEdit = 1;\n");
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("openapi.gen.ts (differs)");
    expect(r.stderr).toContain("pnpm generate");
  });

  it("fails when a generated file is missing", () => {
    const copy = join(work, "missing");
    cpSync(committed, copy, { recursive: true });
    rmSync(join(copy, "constants.gen.ts"));
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("constants.gen.ts (missing)");
  });
});
