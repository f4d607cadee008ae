import { isAbsolute, relative } from "node:path";
import { COMMANDS, type ParsedCommand, UsageError } from "../lib/args.js";
import { createJobsApi } from "../lib/client-adapter.js";
import { EXIT, type ExitCode } from "../lib/exit-codes.js";
import type { ApiFactory, Io } from "../lib/io.js";
import { wrapLines } from "../lib/wrap-lines.js";
import { submitWithProgress } from "./submit.js";
import { watchJob } from "./watch.js";

/** The watch's outcome reason when the user quits the demo (its emulator, and so its job, stop too). */
const DEMO_QUIT_REASON = "demo ended (its emulator stops with it)";

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
  const { createEmulator, createSampleWav, DEFAULT_API_KEY, parseEmulatorArgs } = await import("@slng/emulator");
  const emulator = createEmulator({ rtf: 0.25, minStageMs: 1200 });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  try {
    const { url } = await emulator.listen({ host: "127.0.0.1", port: 0 });
    const makeApi: ApiFactory = (onConnection) =>
      createJobsApi({ apiKey: DEFAULT_API_KEY, baseUrl: url, ...(onConnection ? { onConnection } : {}) });
    if (!io.json) {
      io.stderr.write(wrapped(io.stderr, `slng-batch demo: embedded emulator at ${url} (no API key, no network)`));
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
      quitLabel: "quit (ends the demo and its emulator)",
      quitReason: DEMO_QUIT_REASON,
      interruptReason: "interrupted (the demo and its emulator stop)",
    });
    if (outcome.reason === DEMO_QUIT_REASON) {
      if (!io.json)
        io.stdout.write(
          `\n${wrapped(io.stdout, `Demo ended before job ${ack.job_id} finished: its emulator ran inside the demo and stops with it. Run "${selfCommand()} demo" again to watch it through.`)}`,
        );
      return EXIT.ok;
    }
    if (outcome.code === EXIT.ok && !io.json) {
      const transcript = await makeApi().download(ack.job_id, "txt");
      io.stdout.write(`\nTranscript of ${ack.job_id}:\n${wrapped(io.stdout, transcript.trimEnd())}`);
      const me = selfCommand();
      // The port `slng-batch emulator` listens on without --port (the emulator's own default).
      const { port, host } = parseEmulatorArgs([]);
      io.stdout.write(
        `\n${wrapped(io.stdout, `Next: start the emulator in another terminal with "${me} emulator" (it listens on port ${port}), then try`)}  SLNG_BASE_URL=http://${host}:${port} ${me} jobs\n`,
      );
    }
    return outcome.code;
  } finally {
    process.off("SIGINT", onSignal);
    await emulator.close();
  }
}

/** The argv of `slng-emulator` for the emulator options among `values` (everything but the global ones). */
export function emulatorArgv(values: ParsedCommand["values"]): string[] {
  const argv: string[] = [];
  for (const name of Object.keys(COMMANDS.emulator.options)) {
    const value = values[name];
    if (value === undefined || value === false) continue;
    if (value === true) argv.push(`--${name}`);
    else for (const v of Array.isArray(value) ? value : [value]) argv.push(`--${name}`, v);
  }
  return argv;
}

/** Why the emulator could not listen, as a sentence that says what to change. */
function listenProblem(error: unknown, host: string, port: number): string {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE")
    return `port ${port} on ${host} is already in use: stop what is using it, or pick another port with --port (--port 0 picks a free one)`;
  if (code === "EACCES")
    return `not allowed to listen on port ${port}${port < 1024 ? " (ports below 1024 need privileges)" : ""}: pick another with --port`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `cannot listen on address "${host}" (${code}): use an address of this machine with --host, e.g. 127.0.0.1`;
  return `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * `slng-batch emulator`: serves the emulator until Ctrl+C/SIGTERM, with the options of the
 * package's own `slng-emulator` (parsed by its parser: port 4010 by default, `--api-key`,
 * `--data-dir`, faults…). A bad option or a port that cannot be used is a {@link UsageError} (exit 2).
 */
export async function emulatorCommand(io: Io, values: ParsedCommand["values"]): Promise<ExitCode> {
  const { createEmulator, DEFAULT_API_KEY, EmulatorUsageError, maskKey, parseEmulatorArgs } = await import(
    "@slng/emulator"
  );
  let config: ReturnType<typeof parseEmulatorArgs>;
  try {
    config = parseEmulatorArgs(emulatorArgv(values));
  } catch (error) {
    if (error instanceof EmulatorUsageError) throw new UsageError(error.message, "emulator");
    throw error;
  }
  let emulator: ReturnType<typeof createEmulator>;
  try {
    emulator = createEmulator({
      ...config.options,
      ...(io.json || config.quiet ? {} : { logger: (line: string) => io.stderr.write(`${line}\n`) }),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), "emulator");
  }
  let url: string;
  try {
    ({ url } = await emulator.listen({ host: config.host, port: config.port }));
  } catch (error) {
    await emulator.close();
    throw new UsageError(listenProblem(error, config.host, config.port), "emulator");
  }
  const custom = config.options.apiKeys !== undefined;
  const keys = emulator.apiKeys.map((k) => maskKey(k, DEFAULT_API_KEY));
  if (io.json) {
    io.stdout.write(
      `${JSON.stringify({ type: "emulator", url, ...(custom ? { api_keys: keys } : { api_key: DEFAULT_API_KEY }) })}\n`,
    );
  } else {
    const keyLine = custom
      ? `It accepts the API keys you gave (${keys.join(", ")}): export SLNG_API_KEY=<one of them> as well.`
      : `It accepts its public demo key "${DEFAULT_API_KEY}", used automatically for a local base URL.`;
    io.stdout.write(
      `SLNG Batch emulator listening on ${url}\n\nIn another terminal:\n  export SLNG_BASE_URL=${url}\n  ${selfCommand()} submit recording.wav --watch\n\n${keyLine}\n${config.options.dataDir ? `Uploads and outputs are kept in ${config.options.dataDir}.\n` : ""}Ctrl+C to stop.\n`,
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

/** `text` and a newline, wrapped at spaces to the terminal's width when `stream` is one (never mid-word). */
function wrapped(stream: NodeJS.WriteStream, text: string): string {
  const columns = stream.isTTY ? stream.columns : undefined;
  return `${columns ? wrapLines(text, columns - 1).join("\n") : text}\n`;
}

/**
 * How the user can run this CLI again: `npx @slng/tui` when started through npx (`slng-batch`
 * is on no PATH then), `node <path>` when started from a checkout under the current directory,
 * else `slng-batch`.
 */
export function selfCommand(env: NodeJS.ProcessEnv = process.env, script = process.argv[1]): string {
  if (env.npm_command === "exec" || (script && /[\\/]_npx[\\/]/.test(script))) return "npx @slng/tui";
  if (!script || !/dist[\\/]cli\.js$/.test(script)) return "slng-batch";
  const rel = relative(process.cwd(), script);
  return rel.startsWith("..") || isAbsolute(rel) ? "slng-batch" : `node ${rel}`;
}
