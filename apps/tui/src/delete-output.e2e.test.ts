import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";

let emulator: Emulator;
let url: string;
let dir: string;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runPiped(args, cleanEnv({ SLNG_BASE_URL: url }));
  return { code: r.code, out: r.stdout, err: r.stderr };
}

async function createJob(seconds: number): Promise<string> {
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const ack = await slng.jobs.create({ file: createSampleWav({ seconds }), filename: "t.wav", config: {} });
  return ack.job_id;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  // 1 s of processing per second of audio: a 1 s clip is done in about a second, a 120 s one runs for two minutes.
  emulator = createEmulator({ rtf: 1, minStageMs: 0 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  dir = await mkdtemp(join(tmpdir(), "slng-delete-output-"));
});

afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("delete", () => {
  it("a running job: says why (only DONE or FAILED) and exits 1; --json gives an error line", async () => {
    const id = await createJob(120);
    const r = await run(["delete", id, "--yes"]);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(
      new RegExp(`job ${id} is (QUEUED|IN_PROGRESS|DECODING): only DONE or FAILED jobs can be deleted`),
    );
    expect(r.err).toContain(`slng-batch watch ${id}`);
    expect(r.err).not.toContain("unexpected");
    const j = await run(["delete", id, "--yes", "--json"]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ type: "error", exit_code: 1 });
  });

  it("a finished job is deleted; deleting it again says it already was", async () => {
    const id = await createJob(1);
    await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.wait(id);
    const first = await run(["delete", id, "--yes"]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe(`Deleted job ${id}.\n`);
    const again = await run(["delete", id, "--yes"]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toBe(`Job ${id} was already deleted; nothing to do.\n`);
  });
});

describe("transcript -o", () => {
  it("refuses to overwrite an existing file (exit 2, file untouched) unless --force", async () => {
    const id = await createJob(1);
    await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.wait(id);
    const path = join(dir, "notes.txt");
    await writeFile(path, "my own notes");
    const r = await run(["transcript", id, "-o", path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path} already exists: pass --force to overwrite it`);
    expect(await readFile(path, "utf8")).toBe("my own notes");
    const forced = await run(["transcript", id, "-o", path, "--force"]);
    expect(forced.code, forced.err).toBe(0);
    expect(await readFile(path, "utf8")).not.toBe("my own notes");
    const fresh = join(dir, "fresh.srt");
    const created = await run(["transcript", id, "-f", "srt", "-o", fresh]);
    expect(created.code, created.err).toBe(0);
    expect(await readFile(fresh, "utf8")).toMatch(/^1\r?\n/);
  });

  it("writes a transcript with no words as an empty file, to -o and to a pipe (not a lone newline)", async () => {
    const id = await createJob(0.2);
    await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.wait(id);
    for (const format of ["srt", "txt"]) {
      const path = join(dir, `silence.${format}`);
      const saved = await run(["transcript", id, "-f", format, "-o", path]);
      expect(saved.code, saved.err).toBe(0);
      expect(await readFile(path, "utf8")).toBe("");
      const piped = await run(["transcript", id, "-f", format]);
      expect(piped.code, piped.err).toBe(0);
      expect(piped.out).toBe("");
    }
  });
});
