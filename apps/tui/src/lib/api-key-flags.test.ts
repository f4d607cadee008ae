import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_FLAG_WARNING, apiKeyFromFlags } from "./api-key-flags.js";
import { UsageError } from "./args.js";
import { ConfigError } from "./config.js";

const KEY = "sk-test-0123456789abcdef";

function io(stdinText = "", tty = false) {
  const written: string[] = [];
  const stdin = Object.assign(Readable.from([Buffer.from(stdinText)]), { isTTY: tty });
  return { io: { stdin, stderr: { write: (t: string) => written.push(t) } }, written };
}

describe("the API key from the command line", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slng-keyfile-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--api-key works and warns once on stderr, one line, without the key", async () => {
    const { io: sources, written } = io();
    expect(await apiKeyFromFlags({ "api-key": KEY }, sources)).toEqual({ key: KEY, flag: "--api-key" });
    expect(written).toEqual([API_KEY_FLAG_WARNING]);
    expect(API_KEY_FLAG_WARNING.trimEnd().split("\n")).toHaveLength(1);
    expect(API_KEY_FLAG_WARNING).toMatch(/SLNG_API_KEY.*--api-key-file PATH.*--api-key-file -/);
    expect(written.join("")).not.toContain(KEY);
  });

  it("--api-key-file PATH reads the key without its newline, and warns about nothing", async () => {
    const file = join(dir, "key.txt");
    await writeFile(file, `${KEY}\n`);
    const { io: sources, written } = io();
    expect(await apiKeyFromFlags({ "api-key-file": file }, sources)).toEqual({ key: KEY, flag: "--api-key-file" });
    expect(written).toEqual([]);
  });

  it("--api-key-file - reads standard input; a terminal there is refused", async () => {
    expect(await apiKeyFromFlags({ "api-key-file": "-" }, io(`  ${KEY}\r\n`).io)).toEqual({
      key: KEY,
      flag: "--api-key-file",
    });
    await expect(apiKeyFromFlags({ "api-key-file": "-" }, io("", true).io)).rejects.toThrow(/is a terminal here/);
  });

  it("a missing file, a folder or an empty file is a clear ConfigError", async () => {
    const empty = join(dir, "empty.txt");
    await writeFile(empty, " \n");
    const cases: [string, RegExp][] = [
      [join(dir, "nope.txt"), /nope\.txt: no such file/],
      [dir, /is a folder, not a file/],
      [empty, /empty\.txt is empty: put your API key in it, or set SLNG_API_KEY/],
    ];
    for (const [path, message] of cases) {
      const error = await apiKeyFromFlags({ "api-key-file": path }, io().io).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(message);
    }
    await expect(apiKeyFromFlags({ "api-key-file": "-" }, io("\n").io, "jobs")).rejects.toThrow(
      "standard input was empty: pipe the key in, e.g. slng-batch jobs … --api-key-file - < key.txt",
    );
  });

  it("both flags at once is a usage error", async () => {
    await expect(apiKeyFromFlags({ "api-key": KEY, "api-key-file": "-" }, io().io, "jobs")).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
