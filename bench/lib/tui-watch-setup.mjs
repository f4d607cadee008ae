import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The built `slng-batch` CLI (`pnpm build` first). */
export const cli = join(root, "apps/tui/dist/cli.js");

/** `spawn` of @lydell/node-pty (a dev dependency of apps/tui): runs a command in a real pseudo-terminal. */
export const { spawn: spawnPty } = createRequire(join(root, "apps/tui/package.json"))("@lydell/node-pty");

/**
 * Starts the built emulator in this process on a free loopback port and submits 60 s of sample
 * audio processed at `rtf` seconds per audio second (a large rtf keeps the job in one state for
 * the whole run). Resolves with the emulator, a client, the job id and the environment for `slng-batch`
 * (`SLNG_BASE_URL` set, a colour terminal, no `CI`/`NO_COLOR`).
 */
export async function startJobToWatch(rtf, filename) {
  const { createEmulator, createSampleWav, DEFAULT_API_KEY } = await import(
    pathToFileURL(join(root, "packages/emulator/dist/index.js")).href
  );
  const { createSlngClient } = await import(pathToFileURL(join(root, "packages/client/dist/index.js")).href);
  const emulator = createEmulator({ rtf, minStageMs: 0 });
  const { url } = await emulator.listen({ host: "127.0.0.1", port: 0 });
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
  const { job_id } = await slng.jobs.create({
    file: createSampleWav({ seconds: 60 }),
    filename,
    config: { language: "en" },
  });
  const env = { ...process.env, SLNG_BASE_URL: url, TERM: "xterm-256color" };
  delete env.CI;
  delete env.NO_COLOR;
  return { emulator, slng, jobId: job_id, env };
}
