import { isAbsolute, relative } from "node:path";
import { createJobsApi } from "../lib/client-adapter.js";
import { EXIT, type ExitCode } from "../lib/exit-codes.js";
import type { ApiFactory, Io } from "../lib/io.js";
import { submitWithProgress } from "./submit.js";
import { watchJob } from "./watch.js";

/** Options of {@link demoCommand}. */
export interface DemoOptions {
  seconds: number;
  stay: boolean;
}

/**
 * `slng-batch demo`: starts the emulator in-process on a free loopback port, generates a
 * sample recording, submits it with the progress bar, watches it to DONE and prints the
 * transcript — no key, no network. Returns the job's exit code.
 */
export async function demoCommand(io: Io, options: DemoOptions): Promise<ExitCode> {
  const { createEmulator, createSampleWav, DEFAULT_API_KEY } = await import("@slng/emulator");
  const emulator = createEmulator({ rtf: 0.25, minStageMs: 1200 });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  try {
    const { url } = await emulator.listen({ host: "127.0.0.1", port: 0 });
    const makeApi: ApiFactory = (onConnection) =>
      createJobsApi({ apiKey: DEFAULT_API_KEY, baseUrl: url, ...(onConnection ? { onConnection } : {}) });
    if (!io.json) {
      io.stderr.write(`slng-batch demo: embedded emulator at ${url} (no API key, no network)\n`);
    }
    const wav = createSampleWav({ seconds: options.seconds });
    const filename = "slng-demo-sample.wav";
    let ack: { job_id: string };
    try {
      ack = await submitWithProgress(
        io,
        makeApi(),
        {
          file: wav,
          filename,
          config: { language: "en" },
          tracking: { title: "slng-batch demo", reference: "sample recording" },
        },
        `${filename} (${options.seconds} s generated sample)`,
        abort.signal,
      );
    } catch (error) {
      if (abort.signal.aborted) return EXIT.interrupted;
      throw error;
    }
    process.off("SIGINT", onSignal);
    const outcome = await watchJob(io, makeApi, ack.job_id, {
      stay: options.stay,
      minIntervalMs: 250,
      maxIntervalMs: 1000,
    });
    if (outcome.code === EXIT.ok && !io.json) {
      const transcript = await makeApi().download(ack.job_id, "txt");
      io.stdout.write(`\nTranscript of ${ack.job_id}:\n${transcript.trimEnd()}\n`);
      const me = selfCommand();
      io.stdout.write(
        `\nNext: start the emulator in another terminal with "${me} emulator" (port 4010), then try\n  SLNG_BASE_URL=http://127.0.0.1:4010 ${me} jobs\n`,
      );
    }
    return outcome.code;
  } finally {
    process.off("SIGINT", onSignal);
    await emulator.close();
  }
}

/** `slng-batch emulator`: serves the emulator on 127.0.0.1 until Ctrl+C. */
export async function emulatorCommand(
  io: Io,
  opts: { port?: number | undefined; rtf?: number | undefined },
): Promise<ExitCode> {
  const { createEmulator, DEFAULT_API_KEY } = await import("@slng/emulator");
  const emulator = createEmulator({
    ...(opts.rtf !== undefined ? { rtf: opts.rtf } : {}),
    logger: io.json ? undefined : (line: string) => io.stderr.write(`${line}\n`),
  });
  const { url } = await emulator.listen({ host: "127.0.0.1", port: opts.port ?? 0 });
  if (io.json) io.stdout.write(`${JSON.stringify({ type: "emulator", url, api_key: DEFAULT_API_KEY })}\n`);
  else {
    io.stdout.write(
      `SLNG Batch emulator listening on ${url}\n\nIn another terminal:\n  export SLNG_BASE_URL=${url}\n  slng-batch submit recording.wav --watch\n\n(the emulator accepts its public demo key "${DEFAULT_API_KEY}", used automatically for a local base URL)\nCtrl+C to stop.\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.close();
  return EXIT.ok;
}

/** How the user can run this CLI again: `node <path>` when started from a checkout under the current directory, else `slng-batch`. */
function selfCommand(): string {
  const script = process.argv[1];
  if (!script || !/dist[\\/]cli\.js$/.test(script)) return "slng-batch";
  const rel = relative(process.cwd(), script);
  return rel.startsWith("..") || isAbsolute(rel) ? "slng-batch" : `node ${rel}`;
}
