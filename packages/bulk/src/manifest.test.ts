import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BulkUsageError } from "./errors.js";
import { manifestRows, parseCsv, parseManifest, readManifest } from "./manifest.js";

describe("manifests", () => {
  it("parses CSV with quotes, doubled quotes, commas and CRLF", () => {
    expect(parseCsv('path,title\r\n"a, b.wav","say ""hi"""\r\nc.wav,plain\n')).toEqual([
      ["path", "title"],
      ["a, b.wav", 'say "hi"'],
      ["c.wav", "plain"],
    ]);
  });

  it("reads a line break inside quotes, text after a closing quote, empty fields and an unterminated quote as before", () => {
    expect(parseCsv('a,"line\nbreak",""\n"x"y,,z\r\n\n"open,end')).toEqual([
      ["a", "line\nbreak", ""],
      ["xy", "", "z"],
      ["open,end"],
    ]);
  });

  it("keeps a field that follows a quoted one intact in a long manifest", () => {
    const text = `path,title\n${Array.from({ length: 1000 }, (_, i) => `d/r${i}.wav,"t ""${i}"""`).join("\n")}\n`;
    const rows = parseCsv(text);
    expect(rows).toHaveLength(1001);
    expect(rows[1000]).toEqual(["d/r999.wav", 't "999"']);
  });

  it("reads CSV rows with per-row title, reference, tags and language", () => {
    const rows = parseManifest(
      "path,url,title,reference,tags,language\nx/a.wav,,Call A,ref-1,sales;q1,de\n,https://cdn.example.com/b.mp3,,,,\n",
      "list.csv",
    );
    expect(rows).toEqual([
      { path: "x/a.wav", title: "Call A", reference: "ref-1", tags: ["sales", "q1"], language: "de" },
      { url: "https://cdn.example.com/b.mp3" },
    ]);
  });

  it("reads JSONL rows", () => {
    const rows = parseManifest(
      '{"url":"https://cdn.example.com/a.wav","tags":["x","y"],"output":"calls/a"}\n\n{"path":"b.wav"}\n',
      "list.jsonl",
    );
    expect(rows).toEqual([
      { url: "https://cdn.example.com/a.wav", tags: ["x", "y"], output: "calls/a" },
      { path: "b.wav" },
    ]);
  });

  it("refuses a row with neither path nor url, a plain-http url, bad JSON and a headerless CSV, naming the row", () => {
    expect(() => parseManifest("path,title\n,only a title\n", "m.csv")).toThrow(/m\.csv row 2: give exactly one/);
    expect(() => parseManifest('{"url":"http://x.test/a.wav"}\n', "m.jsonl")).toThrow(/https/);
    expect(() => parseManifest('{"path":"a.wav"}\n{oops\n', "m.jsonl")).toThrow(/line 2: not valid JSON/);
    expect(() => parseManifest("a.wav\nb.wav\n", "m.csv")).toThrow(BulkUsageError);
  });

  it("resolves local paths against the manifest's folder and names URL rows by their file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slng-manifest-"));
    try {
      await writeFile(join(dir, "list.csv"), "path,url\nsub/a.wav,\n,https://cdn.example.com/x/b%20c.mp3?sig=1\n");
      const inputs = await readManifest(join(dir, "list.csv"));
      expect(inputs[0]).toEqual({ key: "sub/a.wav", path: join(dir, "sub/a.wav") });
      expect(inputs[1]).toEqual({ key: "b c.mp3", url: "https://cdn.example.com/x/b%20c.mp3?sig=1" });
      await expect(readManifest(join(dir, "missing.csv"))).rejects.toThrow(/cannot read the manifest/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("manifestRows", () => {
  it("gives rows one at a time: the first comes out before a bad row further down is read", () => {
    const rows = manifestRows("path\na.wav\nb.wav\n\nnotes.txt\n", "m.csv");
    expect(rows.next().value).toEqual({ path: "a.wav" });
    expect(rows.next().value).toEqual({ path: "b.wav" });
    expect(() => rows.next()).toThrow(/m\.csv row 4: "notes\.txt" is not a supported audio file/);
  });

  it("numbers JSONL lines as the file does, blank lines and CRLF included", () => {
    const rows = manifestRows('{"path":"a.wav"}\r\n\r\n{"path":"b.wav"}\r\nnot json\r\n', "m.jsonl");
    expect([rows.next().value, rows.next().value]).toEqual([{ path: "a.wav" }, { path: "b.wav" }]);
    expect(() => rows.next()).toThrow(/m\.jsonl line 4: not valid JSON/);
  });
});
