import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

/** Runtimes and tools the consumer project installs from npm, at exact versions. */
export const TOOLS = {
  bun: "1.4.4",
  deno: "2.9.6",
  typescript: "5.9.3",
  "@types/node": "20.19.8",
} as const;

/** A workspace package that is published (not `private`). */
export interface PublicPackage {
  name: string;
  dir: string;
  manifest: Record<string, unknown>;
}

/** The outcome of {@link run}. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every published workspace package, found from `pnpm-workspace.yaml`'s folders. */
export function publicPackages(): PublicPackage[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(REPO, group))
      .map((name) => join(REPO, group, name))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
      .filter(({ manifest }) => manifest.private !== true)
      .map(({ dir, manifest }) => ({ name: manifest.name as string, dir, manifest })),
  );
}

/**
 * The environment for tools run inside the consumer project: the caller's, without what pnpm,
 * vitest and the toolkit's own variables would leak into a user's shell.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(npm_|pnpm_|PNPM_|VITEST|TURBO_|SLNG_)/.test(k) || k === "NODE_ENV" || k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  if (process.env.npm_config_registry) env.npm_config_registry = process.env.npm_config_registry;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs a command to completion, collecting its output; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? userEnv(), stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Runs a command and throws, with its output, unless it exits 0. */
export async function runOk(cmd: string, args: string[], opts: Parameters<typeof run>[2]): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.code ?? r.signal} in ${opts.cwd}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** Disk use of a folder in bytes, as `du -sk` counts it. */
export async function diskUsage(dir: string): Promise<number> {
  const r = await runOk("du", ["-sk", dir], { cwd: dir });
  return Number(r.stdout.split(/\s/)[0]) * 1024;
}

/** `pnpm pack` of every public package into `dest`; the tarballs' paths by package name. */
export async function packAll(dest: string): Promise<Record<string, string>> {
  await mkdir(dest, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const pkg of publicPackages()) {
    if (!existsSync(join(pkg.dir, "dist"))) {
      throw new Error(`${pkg.name} has no dist/: build first (pnpm build), the consumer tests pack the built packages`);
    }
    const before = new Set(readdirSync(dest));
    await runOk("pnpm", ["pack", "--pack-destination", dest], { cwd: pkg.dir, env: { ...process.env } as never });
    const added = readdirSync(dest).filter((f) => !before.has(f) && f.endsWith(".tgz"));
    if (added.length !== 1) throw new Error(`pnpm pack of ${pkg.name} wrote ${added.length} tarballs`);
    tarballs[pkg.name] = join(dest, added[0] as string);
  }
  return tarballs;
}

/** What {@link createConsumerProject} made. */
export interface ConsumerProject {
  /** The project folder (outside the workspace: a fresh temp dir). */
  dir: string;
  /** The temp dir holding the project and the tarballs. */
  root: string;
  tarballs: Record<string, string>;
  /** Size of node_modules with only the toolkit's packages installed. */
  packagesBytes: number;
}

/**
 * Makes an empty npm project in a fresh temp dir, `npm install`s every tarball into it (no
 * workspace links, no lockfile of ours), measures node_modules, then adds the pinned runtimes
 * and TypeScript a user would bring.
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const root = await mkdtemp(join(tmpdir(), "slng-consumer-"));
  const tarballs = await packAll(join(root, "tarballs"));
  const dir = join(root, "project");
  await mkdir(dir);
  await writeFile(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "slng-consumer", version: "1.0.0", private: true }, null, 2)}\n`,
  );
  const npm = ["--no-audit", "--no-fund", "--loglevel=error"];
  await runOk("npm", ["install", ...npm, ...Object.values(tarballs)], { cwd: dir, timeoutMs: 300_000 });
  const packagesBytes = await diskUsage(join(dir, "node_modules"));
  const tools = Object.entries(TOOLS).map(([name, version]) => `${name}@${version}`);
  await runOk("npm", ["install", ...npm, "--save-dev", ...tools], { cwd: dir, timeoutMs: 300_000 });
  return { dir, root, tarballs, packagesBytes };
}
