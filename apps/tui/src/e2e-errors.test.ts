import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSlngClient } from "@slng/client";
import { createEmulator, createSampleWav, DEFAULT_API_KEY, type Emulator } from "@slng/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, runPiped } from "./test-utils/cli-process.js";

let emulator: Emulator;
let url: string;
let done: string;
let failed: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build first: dist/cli.js is missing (pnpm build)");
  emulator = createEmulator({ rtf: 0.01, minStageMs: 10 });
  ({ url } = await emulator.listen({ host: "127.0.0.1", port: 0 }));
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const make = async (metadata?: Record<string, unknown>) => {
    const ack = await slng.jobs.create({
      file: createSampleWav({ seconds: 3 }),
      filename: "e.wav",
      config: { language: "en" },
      ...(metadata ? { metadata } : {}),
    });
    await slng.jobs.wait(ack.job_id).catch(() => undefined);
    return ack.job_id;
  };
  done = await make();
  failed = await make({ emulator: { fail: "bad audio (e2e)" } });
  dir = await mkdtemp(join(tmpdir(), "slng-tui-errors-"));
});

afterAll(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true });
});

const env = () => cleanEnv({ SLNG_BASE_URL: url });

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("--json: every outcome is one JSON line, exit codes unchanged", () => {
  it.each([
    [["watch", "--json"], /missing <jobId>/],
    [["watch", "abc", "--json", "--bogus"], /unknown option --bogus/],
    [["watch", "bad-id!", "--json"], /is not a job id/],
    [["watch", "abc", "--json", "--timeout", "-1"], /--timeout must be a number ≥ 0 \(got "-1"\)/],
    [["transcript", "abc", "--json", "--format", "doc"], /--format must be txt, srt or json/],
  ])("usage error %j", async (args, message) => {
    const { code, stdout, stderr } = await runPiped(args, env());
    expect(code).toBe(2);
    expect(stderr).toBe("");
    const [line, ...rest] = jsonLines(stdout);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ type: "error", exit_code: 2, message: expect.stringMatching(message) });
    expect(line?.hint).toMatch(/slng-batch \w+ --help/);
  });

  it("every event's timestamp has the same precision: UTC, whole seconds", async () => {
    const wav = join(dir, "stamps.wav");
    await writeFile(wav, createSampleWav({ seconds: 1 }));
    const runs = await Promise.all([
      runPiped(["submit", wav, "--json", "--watch"], env()),
      runPiped(["watch", failed, "--json"], env()),
      runPiped(["watch", "bad-id!", "--json"], env()),
    ]);
    const events = runs.flatMap((r) => jsonLines(r.stdout));
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(["upload_progress", "submitted", "status", "result", "error"]),
    );
    for (const e of events) expect(e.timestamp, JSON.stringify(e)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("a configuration error (no key)", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--json"], cleanEnv());
    expect(code).toBe(2);
    expect(stderr).toBe("");
    expect(jsonLines(stdout)).toEqual([
      expect.objectContaining({ type: "error", exit_code: 2, message: expect.stringContaining("SLNG_API_KEY") }),
    ]);
  });

  it("transcript --json prints the JSON transcript on one line; txt as {job_id, format, text}", async () => {
    const json = await runPiped(["transcript", done, "--json"], env());
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ job: { id: done } });
    const txt = await runPiped(["transcript", done, "--json", "--format", "txt"], env());
    expect(JSON.parse(txt.stdout)).toMatchObject({ job_id: done, format: "txt", text: expect.any(String) });
  });

  it("transcript --json of a FAILED job: an error line, exit 1", async () => {
    const { code, stdout, stderr } = await runPiped(["transcript", failed, "--json"], env());
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(jsonLines(stdout)).toEqual([
      expect.objectContaining({ type: "error", exit_code: 1, message: expect.stringContaining("bad audio (e2e)") }),
    ]);
  });
});

describe("local problems are configuration errors (exit 2) that say what to change", () => {
  it("-o a directory", async () => {
    const { code, stderr } = await runPiped(["transcript", done, "-o", dir], env());
    expect(code).toBe(2);
    expect(stderr).toContain(`-o ${dir} is a directory: give a file name`);
    expect(stderr).not.toMatch(/unexpected/);
  });

  it("-o in a folder that does not exist", async () => {
    const { code, stderr } = await runPiped(["transcript", done, "-o", "/missing-folder-e2e/x.txt"], env());
    expect(code).toBe(2);
    expect(stderr).toContain("the folder /missing-folder-e2e does not exist");
  });

  it("a non-ASCII API key", async () => {
    const { code, stderr } = await runPiped(["watch", done, "--api-key", "clé-ünïcode-key"], env());
    expect(code).toBe(2);
    expect(stderr).toMatch(/API key \(--api-key\) contains .*non-ASCII characters/);
    expect(stderr).not.toContain("clé-ünïcode-key");
  });

  it("credentials in the base URL, never echoed", async () => {
    const base = url.replace("http://", "http://user:hunter2secret@");
    const { code, stderr, stdout } = await runPiped(["watch", done], cleanEnv({ SLNG_BASE_URL: base }));
    expect(code).toBe(2);
    expect(stderr).toMatch(/must not contain a user name or password/);
    expect(stderr + stdout).not.toContain("hunter2secret");
  });

  it("a base URL with /v1/batch says so instead of blaming the job id", async () => {
    const { code, stderr, stdout } = await runPiped(["watch", done], cleanEnv({ SLNG_BASE_URL: `${url}/v1/batch` }));
    expect(code).toBe(2);
    expect(stderr).toContain(`without /v1/batch: use ${url}`);
    expect(stderr + stdout).not.toMatch(/Check the job id/);
  });
});

describe("smaller rough edges", () => {
  it("--timeout 0 means no limit: the watch runs to the end", async () => {
    const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
    const ack = await slng.jobs.create({
      file: createSampleWav({ seconds: 3 }),
      filename: "t.wav",
      config: { language: "en" },
    });
    const { code, stdout } = await runPiped(["watch", ack.job_id, "--timeout", "0"], env());
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`✓ ${ack.job_id}: DONE (exit code 0)`);
  });

  it("jobs prints no table header when the first page fails", async () => {
    const { code, stdout, stderr } = await runPiped(["jobs", "--api-key", "sk-wrong-0123456789"], env());
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/Not authorised/);
  });

  it("FORCE_COLOR=1 in a pipe colours the statuses, not only error:", async () => {
    const table = await runPiped(["jobs"], cleanEnv({ SLNG_BASE_URL: url, FORCE_COLOR: "1" }));
    expect(table.stdout).toContain("\u001b[32mDONE");
    const lines = await runPiped(["watch", done], cleanEnv({ SLNG_BASE_URL: url, FORCE_COLOR: "1" }));
    expect(lines.stdout).toContain("\u001b[32mDONE");
    const plain = await runPiped(["jobs"], env());
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("TERM=dumb on an 80-column terminal: the jobs table fits in 80 columns", async () => {
    const { runPty, strip } = await import("./test-utils/cli-process.js");
    const run = runPty(process.execPath, [CLI, "jobs"], cleanEnv({ SLNG_BASE_URL: url, TERM: "dumb" }), {
      cols: 80,
      rows: 24,
      hangMs: 10_000,
    });
    expect(await run.exit, run.output()).toBe(0);
    const lines = strip(run.output())
      .split(/\r?\n/)
      .filter((l) => l !== "");
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+TITLE/);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it("deleting an already-deleted job says so instead of 'Deleted'", async () => {
    const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
    const ack = await slng.jobs.create({
      file: createSampleWav({ seconds: 1 }),
      filename: "d.wav",
      config: { language: "en" },
    });
    await slng.jobs.wait(ack.job_id);
    await slng.jobs.delete(ack.job_id);
    const { code, stdout } = await runPiped(["delete", ack.job_id, "--yes"], env());
    expect(code).toBe(0);
    expect(stdout).toContain(`Job ${ack.job_id} was already deleted`);
    expect(stdout).not.toMatch(/^Deleted job/m);
  });

  it("Ctrl+C at the delete prompt ends the line first, exit 130, nothing deleted", async () => {
    const { runPty, strip } = await import("./test-utils/cli-process.js");
    const run = runPty(process.execPath, [CLI, "delete", done], cleanEnv({ SLNG_BASE_URL: url }), { hangMs: 10_000 });
    await run.waitFor("[y/N]");
    run.write("\u0003");
    expect(await run.exit).toBe(130);
    const out = strip(run.output());
    expect(out).toMatch(/\[y\/N\] ?\r?\nNot deleted \(interrupted\)\./);
    expect(out).not.toMatch(/\[y\/N\] ?(\^C)?error/);
    const job = await createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url }).jobs.get(done);
    expect(job.status).toBe("DONE");
  });
});
