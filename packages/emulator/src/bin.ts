import { readFileSync } from "node:fs";
import { maskKey, parseCli, USAGE, UsageError } from "./cli-args.js";
import { createEmulator, DEFAULT_API_KEY } from "./emulator.js";
import { DEFAULT_FAULT_KINDS } from "./faults.js";

/** The version in the package's own package.json (next to `dist/`). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  let config: ReturnType<typeof parseCli>;
  try {
    config = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`slng-emulator: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw e;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (config.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  let emulator: ReturnType<typeof createEmulator>;
  try {
    emulator = createEmulator({
      ...config.options,
      ...(config.quiet ? {} : { logger: (line: string) => process.stdout.write(`${line}\n`) }),
    });
  } catch (e) {
    process.stderr.write(`slng-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  let url: string;
  try {
    ({ url } = await emulator.listen({ port: config.port, host: config.host }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === "EADDRINUSE"
        ? `port ${config.port} is already in use (try --port 0 for a free one)`
        : code === "EACCES"
          ? `not allowed to listen on port ${config.port}`
          : e instanceof Error
            ? e.message
            : String(e);
    process.stderr.write(`slng-emulator: cannot listen on ${config.host}:${config.port}: ${why}\n`);
    await emulator.close();
    process.exit(2);
  }
  const lines = [`SLNG Batch API emulator listening on ${url}`, `  base URL: ${url}  (API: ${url}/v1/batch/jobs)`];
  if (config.options.apiKeys) {
    lines.push(`  accepted API keys: ${emulator.apiKeys.map((k) => maskKey(k, DEFAULT_API_KEY)).join(", ")}`);
  } else {
    lines.push(`  no --api-key given: accepting the demo key ${DEFAULT_API_KEY}`);
  }
  if (config.options.dataDir !== undefined) {
    const removed = emulator.removedAtStart;
    lines.push(`  data dir: ${emulator.dataDir}`);
    if (config.quiet && removed.length > 0)
      lines.push(`  removed ${removed.length} leftover(s) of an earlier run there: ${removed.join(", ")}`);
  }
  const cors = config.options.corsOrigin;
  if (cors) lines.push(`  CORS: browsers may call from ${[cors].flat().join(", ")}`);
  const faults = config.options.faults;
  if (faults)
    lines.push(`  fault injection: rate ${faults.rate}, kinds ${(faults.kinds ?? DEFAULT_FAULT_KINDS).join(", ")}`);
  lines.push("  transcripts are synthetic (no speech recognition); Ctrl+C to stop");
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e) => {
  process.stderr.write(`slng-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
