import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeStaleTemps } from "./download.js";
import { saveAtomically } from "./save.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), "slng-save-"));
  dirs.push(d);
  return d;
}

describe("saveAtomically", () => {
  it("streams a response into place, creating folders, leaving no temporary file", async () => {
    const d = await tmp();
    await saveAtomically(join(d, "a/b/c.txt"), new Response("hello\n", { headers: { "content-length": "6" } }));
    expect(await readFile(join(d, "a/b/c.txt"), "utf8")).toBe("hello\n");
    expect(await readdir(join(d, "a/b"))).toEqual(["c.txt"]);
  });

  it("locks the response body before its first await, so undici cannot cancel it as garbage", async () => {
    const d = await tmp();
    const res = new Response("x".repeat(1000));
    const saving = saveAtomically(join(d, "deep/x.txt"), res);
    expect(res.body?.locked).toBe(true);
    await saving;
  });

  it("removes the temporary files a killed save left, and only those", async () => {
    const d = await tmp();
    await saveAtomically(join(d, "a.txt"), "kept");
    await saveAtomically(join(d, "a.srt"), "kept too");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(d, "a.txt.tmp-1a2b3c4d"), "half");
    await writeFile(join(d, "ab.txt.tmp-99999999"), "another file's");
    await removeStaleTemps(join(d, "a.txt"));
    expect((await readdir(d)).sort()).toEqual(["a.srt", "a.txt", "ab.txt.tmp-99999999"]);
  });

  it("refuses a body shorter than its Content-Length and keeps no file", async () => {
    const d = await tmp();
    const res = new Response("abc", { headers: { "content-length": "10" } });
    await expect(saveAtomically(join(d, "x.txt"), res)).rejects.toThrow(/ended after 3 of 10 bytes/);
    expect(await readdir(d)).toEqual([]);
  });
});
