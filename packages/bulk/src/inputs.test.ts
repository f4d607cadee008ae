import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectInputs, safeKey } from "./inputs.js";
import { canonicalJson, deriveJobId } from "./job-id.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tree(files: string[]) {
  const d = await mkdtemp(join(tmpdir(), "slng-inputs-"));
  dirs.push(d);
  for (const f of files) {
    await mkdir(join(d, f, ".."), { recursive: true });
    await writeFile(join(d, f), "x");
  }
  return d;
}

describe("collectInputs", () => {
  it("walks folders recursively in name order, takes audio, lists what it skipped, never walks --out", async () => {
    const d = await tree(["in/b/2.MP3", "in/a/1.wav", "in/readme.txt", "in/out/old.wav", "in/c.flac"]);
    const { inputs, skippedFiles } = await collectInputs([join(d, "in")], undefined, join(d, "in/out"));
    expect(inputs.map((i) => i.key)).toEqual(["a/1.wav", "b/2.MP3", "c.flac"]);
    expect(skippedFiles).toEqual([expect.stringMatching(/readme\.txt$/)]);
  });

  it("puts each folder under its own name when several sources are given", async () => {
    const d = await tree(["x/1.wav", "y/1.wav"]);
    const { inputs } = await collectInputs([join(d, "x"), join(d, "y")]);
    expect(inputs.map((i) => i.key)).toEqual(["x/1.wav", "y/1.wav"]);
  });

  it("refuses two inputs that would write the same output, a missing source, and a non-audio file", async () => {
    const d = await tree(["in/a.wav", "in/a.mp3", "notes.txt"]);
    await expect(collectInputs([join(d, "in")])).rejects.toThrow(/a\.mp3 and a\.wav would both be saved as a\.\*/);
    await expect(collectInputs([join(d, "nope")])).rejects.toThrow(/no such file or folder/);
    await expect(collectInputs([join(d, "notes.txt")])).rejects.toThrow(/not a supported audio file/);
  });

  it("keeps keys inside the output folder", () => {
    expect(safeKey("../../etc/x.wav")).toBe("etc/x.wav");
    expect(safeKey("/abs\\win\\y.wav")).toBe("abs/win/y.wav");
  });
});

describe("job ids", () => {
  it("are the same for the same content, settings and attempt, and differ otherwise", () => {
    const base = {
      salt: "s",
      sha256: "a".repeat(64),
      settings: { config: { language: "en", diarization: "none" } },
      attempt: 0,
    };
    const id = deriveJobId(base);
    expect(id).toMatch(/^bk[0-9a-f]{30}$/);
    expect(deriveJobId({ ...base, settings: { config: { diarization: "none", language: "en" } } })).toBe(id);
    expect(deriveJobId({ ...base, sha256: "b".repeat(64) })).not.toBe(id);
    expect(deriveJobId({ ...base, attempt: 1 })).not.toBe(id);
    expect(deriveJobId({ ...base, salt: "t" })).not.toBe(id);
    expect(deriveJobId({ ...base, settings: { config: { language: "de" } } })).not.toBe(id);
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 2 }] })).toBe('{"a":[1,{"c":2}],"b":1}');
  });
});
