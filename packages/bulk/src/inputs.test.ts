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
    expect([...inputs].map((i) => i.key)).toEqual(["a/1.wav", "b/2.MP3", "c.flac"]);
    expect(skippedFiles).toEqual(["readme.txt"]);
  });

  it("puts each folder under its own name when several sources are given", async () => {
    const d = await tree(["x/1.wav", "y/1.wav"]);
    const { inputs } = await collectInputs([join(d, "x"), join(d, "y")]);
    expect([...inputs].map((i) => i.key)).toEqual(["x/1.wav", "y/1.wav"]);
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

describe("the folder walk and symlinks", () => {
  it("follows symlinks that stay inside the folder, skips and reports those leading outside, and never loops", async () => {
    const { symlink } = await import("node:fs/promises");
    const d = await tree(["in/real/a.wav", "secret.txt", "other/b.wav"]);
    await symlink(join(d, "secret.txt"), join(d, "in", "exfil.wav"));
    await symlink(join(d, "in", "real", "a.wav"), join(d, "in", "inner.wav"));
    await symlink(join(d, "other"), join(d, "in", "linkdir"));
    await symlink(join(d, "in"), join(d, "in", "real", "loop"));
    const { inputs, warnings } = await collectInputs([join(d, "in")]);
    expect([...inputs].map((i) => [i.key, i.path])).toEqual([
      ["inner.wav", join(d, "in", "real", "a.wav")],
      ["real/a.wav", join(d, "in", "real", "a.wav")],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/skipped 2 symlinks leading outside .*--follow-symlinks/)]);
    const followed = await collectInputs([join(d, "in")], undefined, undefined, { followSymlinks: true });
    expect([...followed.inputs].map((i) => i.key)).toEqual(["exfil.wav", "inner.wav", "linkdir/b.wav", "real/a.wav"]);
    expect(followed.warnings).toEqual([]);
  });
});

describe("manifest rows", () => {
  it("need an audio extension unless anyExtension, and rows outside the manifest's folder are warned about once", async () => {
    const d = await tree(["secret.txt", "elsewhere/a.wav", "elsewhere/b.wav", "list/ok.wav"]);
    await writeFile(join(d, "list", "m.csv"), "path\n../secret.txt\n");
    await expect(collectInputs([], join(d, "list", "m.csv"))).rejects.toThrow(
      /m\.csv row 2: "\.\.\/secret\.txt" is not a supported audio file .*--any-extension/,
    );
    await writeFile(join(d, "list", "m.csv"), `path\nok.wav\n../elsewhere/a.wav\n${join(d, "elsewhere", "b.wav")}\n`);
    const { inputs, warnings } = await collectInputs([], join(d, "list", "m.csv"));
    expect(inputs).toHaveLength(3);
    expect(warnings).toEqual([expect.stringMatching(/^2 manifest rows name files outside the manifest's folder/)]);
    await writeFile(join(d, "list", "m.csv"), "path\n../secret.txt\n");
    const any = await collectInputs([], join(d, "list", "m.csv"), undefined, { anyExtension: true });
    expect([...any.inputs].map((i) => i.path)).toEqual([join(d, "secret.txt")]);
    expect(any.warnings).toHaveLength(1);
  });

  it("take an https URL in the path column as a URL, and name the url column for any other URL there", async () => {
    const d = await tree([]);
    await writeFile(join(d, "m.csv"), "path\nhttps://example.com/x.wav\n");
    const { inputs } = await collectInputs([], join(d, "m.csv"));
    expect([...inputs]).toEqual([{ key: "x.wav", url: "https://example.com/x.wav" }]);
    await writeFile(join(d, "m.csv"), "path\nhttp://example.com/x.wav\n");
    await expect(collectInputs([], join(d, "m.csv"))).rejects.toThrow(/put URLs in the url column/);
  });
});
