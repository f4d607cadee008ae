import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeStaleTemps } from "./download.js";
import { saveAtomically, TempVanishedError } from "./save.js";

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

  it("with an age, removes only temporary files nobody wrote to for that long", async () => {
    const d = await tmp();
    await writeFile(join(d, "a.txt.tmp-0000dead"), "a dead worker's");
    await writeFile(join(d, "a.txt.tmp-0000live"), "a live worker's");
    const old = new Date(Date.now() - 120_000);
    await utimes(join(d, "a.txt.tmp-0000dead"), old, old);
    await removeStaleTemps(join(d, "a.txt"), 60_000);
    expect(await readdir(d)).toEqual(["a.txt.tmp-0000live"]);
  });

  it("a temporary file removed by someone else before its rename fails the save as retryable, leaving nothing", async () => {
    const d = await tmp();
    let removed!: () => void;
    const gone = new Promise<void>((r) => {
      removed = r;
    });
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode("half "));
        await gone;
        c.enqueue(new TextEncoder().encode("and the rest"));
        c.close();
      },
    });
    const saving = saveAtomically(join(d, "x.txt"), new Response(body));
    let temps: string[] = [];
    while (temps.length === 0) {
      temps = (await readdir(d)).filter((n) => n.startsWith("x.txt.tmp-"));
      await new Promise((r) => setTimeout(r, 5));
    }
    await rm(join(d, temps[0] as string));
    removed();
    const err = await saving.catch((e) => e);
    expect(err).toBeInstanceOf(TempVanishedError);
    expect(err.retryable).toBe(true);
    expect(await readdir(d)).toEqual([]);
  });
});
