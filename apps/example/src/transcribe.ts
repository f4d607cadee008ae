/**
 * Submit an audio file, print its status as it changes, print the transcript and save the
 * subtitles beside the input (paths are taken from where you ran the command, also through `pnpm example`).
 *
 *   pnpm example                 # a generated 5-second sample, against an in-process emulator
 *   pnpm example talk.mp3        # your file, against the emulator
 *   SLNG_API_KEY=… pnpm example talk.mp3   # your file, against the real SLNG Batch API
 */
import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, relative, resolve } from "node:path";
import { type CreateJobInput, createSlngClient, JobFailedError, type SlngClient, SlngError } from "@slng/client";

/**
 * Where the user ran the command: `pnpm example` (and `pnpm --filter … start`) runs this script in
 * the package's folder but sets INIT_CWD to the folder it was typed in.
 */
const userCwd = process.env.INIT_CWD ?? process.cwd();
const file = process.argv[2] !== undefined ? resolve(userCwd, process.argv[2]) : undefined;
const useRealApi = Boolean(process.env.SLNG_API_KEY);

/** A client for the real API (SLNG_API_KEY, SLNG_BASE_URL), or for an emulator started here. */
async function connect(): Promise<{ slng: SlngClient; where: string; close: () => Promise<void> }> {
  if (useRealApi) return { slng: createSlngClient(), where: "the SLNG Batch API", close: async () => {} };
  const { createEmulator, DEFAULT_API_KEY } = await import("@slng/emulator");
  const emulator = createEmulator({ rtf: 0.2, minStageMs: 300 });
  const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: "http://emulator.test", fetch: emulator.fetch });
  return { slng, where: "an in-process emulator (set SLNG_API_KEY for the real API)", close: () => emulator.close() };
}

async function audio(): Promise<Pick<CreateJobInput, "file" | "filename">> {
  if (file) return { file };
  const { createSampleWav } = await import("@slng/emulator");
  return { file: createSampleWav({ seconds: 5 }), filename: "sample.wav" };
}

async function main(): Promise<void> {
  const { slng, where, close } = await connect();
  try {
    const input = await audio();
    const name = input.filename ?? basename(file ?? "sample.wav");
    const shown = (path: string) => relative(userCwd, path) || path;
    console.log(`Submitting ${file ? shown(file) : name} to ${where}…`);

    const { job_id } = await slng.jobs.create({
      ...input,
      config: { language: "en" },
      onUploadProgress: ({ phase, loaded, total }) => {
        if (phase === "upload" && loaded === total) console.log(`  uploaded ${(total / 1024).toFixed(0)} KiB`);
      },
    });
    console.log(`Job ${job_id}`);

    const started = Date.now();
    let status = "";
    for await (const job of slng.jobs.watch(job_id)) {
      status = job.status;
      console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${status}`);
      if (status === "FAILED") throw new JobFailedError(job);
    }
    if (status !== "DONE") throw new Error(`the job ended ${status}, so there is no transcript`);

    const transcript = await slng.jobs.download(job_id, "txt");
    console.log(`\nTranscript:\n${transcript.trim()}\n`);

    const srtPath = resolve(file ? dirname(file) : userCwd, `${basename(name, extname(name))}.srt`);
    await writeFile(srtPath, await slng.jobs.download(job_id, "srt"));
    console.log(`Subtitles saved to ${shown(srtPath)}`);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof SlngError || error instanceof Error ? error.message : String(error);
  console.error(`Error: ${message}`);
  process.exitCode = 1;
});
