import { readFileSync } from "node:fs";
import { apiKeyFromFlags } from "./lib/api-key-flags.js";
import { COMMANDS, helpText, numberOption, parseCommandLine, UsageError } from "./lib/args.js";
import { applyColorDecision, isInteractive, shouldUseColor } from "./lib/color.js";
import { ConfigError, redactSecret, resolveConfig } from "./lib/config.js";
import { classifyError, describeError, exitCodeForError, setKeySource } from "./lib/errors.js";
import { EXIT, type ExitCode } from "./lib/exit-codes.js";
import { type ApiFactory, type Io, reportError } from "./lib/io.js";
import { ProcessExit } from "./lib/process-exit.js";
import { sanitize } from "./lib/sanitize.js";

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function usageHint(error: UsageError): string {
  return `Run "slng-batch ${error.command ? `${error.command} ` : ""}--help" for usage.`;
}

/** Runs `slng-batch` with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const baseIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      // The command line did not parse, but --json asked for JSON all the same.
      const json = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length).includes("--json");
      reportError({ ...baseIo, json, color: false }, EXIT.usage, error.message, usageHint(error));
      return EXIT.usage;
    }
    throw error;
  }
  if (parsed.command === "help") {
    process.stdout.write(helpText(parsed.topic));
    return EXIT.ok;
  }
  if (parsed.command === "version") {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (parsed.help) {
    process.stdout.write(helpText(parsed.command));
    return EXIT.ok;
  }
  const { values, command, positionals } = parsed;
  const json = values.json === true;
  const color = shouldUseColor({
    noColorFlag: values["no-color"] === true,
    json,
    isTTY: process.stdout.isTTY === true,
    env,
  });
  applyColorDecision(color, env);
  const io: Io = {
    ...baseIo,
    json,
    color,
    interactive: isInteractive({
      json,
      stdoutTTY: process.stdout.isTTY === true,
      stdinTTY: process.stdin.isTTY === true,
      env,
    }),
  };
  let secret: string | undefined;
  try {
    let makeApi: ApiFactory = () => {
      throw new Error("no API for this command");
    };
    // Commands with their own option set (emulator, demo) take no client key.
    const flagKey = COMMANDS[command].globals ? undefined : await apiKeyFromFlags(values, io, command);
    setKeySource({
      ...(flagKey ? { flag: flagKey.flag } : {}),
      ...(typeof values["api-key-file"] === "string" ? { file: values["api-key-file"] } : {}),
      env: (env.SLNG_API_KEY ?? "").trim() !== "",
    });
    if (COMMANDS[command].needsApi) {
      const config = resolveConfig(
        {
          apiKey: flagKey?.key,
          apiKeyFlag: flagKey?.flag,
          baseUrl: typeof values["base-url"] === "string" ? values["base-url"] : undefined,
        },
        env,
      );
      secret = config.apiKey;
      const { createJobsApi } = await import("./lib/client-adapter.js");
      makeApi = (onConnection) =>
        createJobsApi({
          apiKey: config.apiKey,
          baseUrl: config.baseUrl,
          userAgent: `slng-batch/${version()}`,
          ...(onConnection ? { onConnection } : {}),
        });
    }
    const watchOptions = () => {
      const timeout = numberOption(values, "timeout", command, { min: 0 });
      const maxOffline = numberOption(values, "max-offline", command, { min: 1 });
      return {
        // --timeout 0: no limit (as curl's --max-time 0).
        ...(timeout !== undefined && timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
        ...(maxOffline !== undefined ? { maxOfflineMs: maxOffline * 1000 } : {}),
        stay: values.stay === true && io.interactive,
      };
    };
    switch (command) {
      case "watch": {
        const { watchJob, checkJobId } = await import("./commands/watch.js");
        const jobId = positionals[0] as string;
        checkJobId(jobId, "watch");
        return (await watchJob(io, makeApi, jobId, watchOptions())).code;
      }
      case "submit": {
        const { buildCreateInput, interruptedMessage, submitWithProgress } = await import("./commands/submit.js");
        const opts = watchOptions();
        const { input, label } = await buildCreateInput(positionals[0] as string, values);
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        let ack: { job_id: string; status: string };
        try {
          ack = await submitWithProgress(io, makeApi(), input, label, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) {
            reportError(io, EXIT.interrupted, interruptedMessage(error));
            return EXIT.interrupted;
          }
          throw error;
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
        if (values.watch) {
          const { watchJob } = await import("./commands/watch.js");
          return (await watchJob(io, makeApi, ack.job_id, opts)).code;
        }
        if (io.json) return EXIT.ok;
        const id = sanitize(ack.job_id);
        if (io.interactive)
          io.stdout.write(`Submitted job ${id} (${sanitize(ack.status)}). Watch it: slng-batch watch ${id}\n`);
        else io.stdout.write(`${id}\n`);
        return EXIT.ok;
      }
      case "bulk": {
        const { bulkCommand } = await import("./commands/bulk.js");
        const apiKey = flagKey?.key;
        secret = apiKey ?? env.SLNG_API_KEY;
        return await bulkCommand(io, values, positionals, {
          apiKey,
          baseUrl: typeof values["base-url"] === "string" ? values["base-url"] : undefined,
          userAgent: `slng-batch/${version()}`,
        });
      }
      case "transcript": {
        const { transcriptCommand } = await import("./commands/other.js");
        return await transcriptCommand(io, makeApi, positionals[0] as string, values);
      }
      case "files": {
        const { filesCommand } = await import("./commands/other.js");
        return await filesCommand(io, makeApi, positionals[0] as string, values);
      }
      case "delete": {
        const { deleteCommand } = await import("./commands/other.js");
        return await deleteCommand(io, makeApi, positionals[0] as string, values);
      }
      case "jobs": {
        const { jobsCommand } = await import("./commands/other.js");
        const limit = numberOption(values, "limit", "jobs", { integer: true, min: 1 }) ?? 100;
        return await jobsCommand(io, makeApi, values, limit);
      }
      case "emulator": {
        const { emulatorCommand } = await import("./commands/demo.js");
        return await emulatorCommand(io, values);
      }
      case "demo": {
        const { demoCommand } = await import("./commands/demo.js");
        const seconds = numberOption(values, "seconds", "demo", { min: 1 }) ?? 20;
        if (seconds > 600) throw new UsageError("--seconds must be at most 600", "demo");
        return await demoCommand(io, { seconds, stay: values.stay === true && io.interactive });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      reportError(io, EXIT.usage, error.message, usageHint(error));
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      reportError(io, EXIT.usage, redactSecret(error.message, secret));
      return EXIT.usage;
    }
    const code = exitCodeForError(error);
    const message = redactSecret(describeError(error), secret);
    reportError(io, code, classifyError(error) === "other" && !io.json ? `unexpected error: ${message}` : message);
    return code;
  }
}

const ending = new ProcessExit();
ending.install();
let code: ExitCode;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`error: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  code = EXIT.api;
}
// Every byte written reaches the reader (a pipe may be slow) before the process ends.
await ending.finish(code);
