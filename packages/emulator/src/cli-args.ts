import { parseArgs } from "node:util";
import { normaliseCorsOrigins } from "./cors.js";
import type { EmulatorOptions } from "./emulator.js";
import { FAULT_KINDS, type FaultKind } from "./faults.js";

/** Usage text of `slng-emulator`. */
export const USAGE = `Usage: slng-emulator [options]

A local emulator of SLNG's Batch speech-to-text API (synthetic transcripts, no speech recognition).

Options:
  --port <n>            Port to listen on (default 4010; 0 picks a free port)
  --host <addr>         Address to bind (default 127.0.0.1)
  --api-key <key>       Accepted API key; repeat for several (default: the demo key)
  --data-dir <dir>      Keep uploads and outputs here: a new or empty folder, or one the
                        emulator made; others are refused (default: a temp dir removed on exit)
  --rtf <x>             Processing seconds per second of audio (default 0.1)
  --min-stage-ms <n>    Minimum time in each processing stage, ms (default 400)
  --retention <s>       Set expired_at this many seconds after completion (default: never)
  --fault-rate <p>      Probability 0..1 that an API request gets an injected fault (default 0)
  --fault-seed <n>      Seed of the fault sequence (default: random)
  --fault-kinds <list>  Comma-separated: 500,503,429,drop,latency,lost (default: all but lost)
  --cors-origin <url>   Let a web page on this origin call the emulator from a browser;
                        repeat for several, or * for any (default: none)
  -q, --quiet           Do not log one line per request
  -h, --help            Show this help
  --version             Print the version of slng-emulator

Make a job fail: send metadata {"emulator": {"fail": "<message>"}}.
Force a fault on one request: header x-slng-emulator-fault: 500 | 503 | 429 | drop | lost | latency:<ms>.
("lost" applies the request, then drops the connection: the answer is lost.)

Exit codes:
  0    stopped (Ctrl+C, SIGTERM)
  2    a bad option, or it cannot listen (the port is in use, not allowed…)
`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** What the command line asks for. */
export interface CliConfig {
  help: boolean;
  /** `--version`: print the version and exit (absent when not asked). */
  version?: true;
  /** No per-request log lines. */
  quiet: boolean;
  port: number;
  host: string;
  options: EmulatorOptions;
}

function num(name: string, raw: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!raw.trim() || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got '${raw}')`,
    );
  }
  return n;
}

/** Parses `slng-emulator` arguments; throws {@link UsageError} on a mistake. */
export function parseCli(argv: string[]): CliConfig {
  let values: ReturnType<typeof parse>["values"];
  function parse() {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "api-key": { type: "string", multiple: true },
        "data-dir": { type: "string" },
        rtf: { type: "string" },
        "min-stage-ms": { type: "string" },
        retention: { type: "string" },
        "fault-rate": { type: "string" },
        "fault-seed": { type: "string" },
        "fault-kinds": { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
      },
    });
  }
  try {
    values = parse().values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const keys = values["api-key"] ?? [];
  for (const k of keys)
    if (!/^\S+$/.test(k)) throw new UsageError("--api-key must be a non-empty value without spaces");
  const kinds = values["fault-kinds"]?.split(",").map((k) => k.trim());
  for (const k of kinds ?? []) {
    if (!FAULT_KINDS.includes(k as FaultKind)) {
      throw new UsageError(`--fault-kinds: unknown kind '${k}' (allowed: ${FAULT_KINDS.join(", ")})`);
    }
  }
  const rate = num("fault-rate", values["fault-rate"], 0, 1);
  const seed = num("fault-seed", values["fault-seed"], 0, 2 ** 32 - 1, true);
  if ((seed !== undefined || kinds) && rate === undefined)
    throw new UsageError("--fault-seed and --fault-kinds need --fault-rate");
  const host = values.host ?? "127.0.0.1";
  if (!host.trim()) throw new UsageError("--host must not be empty");
  const options: EmulatorOptions = {};
  if (keys.length) options.apiKeys = keys;
  if (values["data-dir"] !== undefined) options.dataDir = values["data-dir"];
  const rtf = num("rtf", values.rtf, 0, 1000);
  if (rtf !== undefined) options.rtf = rtf;
  const minStage = num("min-stage-ms", values["min-stage-ms"], 0, 3_600_000);
  if (minStage !== undefined) options.minStageMs = minStage;
  const retention = num("retention", values.retention, 0, 10 * 365 * 86400);
  if (retention !== undefined) options.retentionSeconds = retention;
  const cors = values["cors-origin"];
  if (cors) {
    try {
      options.corsOrigin = normaliseCorsOrigins(cors);
    } catch (e) {
      throw new UsageError(`--cors-origin: ${(e as Error).message.replace(/^corsOrigin /, "")}`);
    }
  }
  if (rate !== undefined) {
    options.faults = {
      rate,
      ...(seed !== undefined ? { seed } : {}),
      ...(kinds ? { kinds: kinds as FaultKind[] } : {}),
    };
  }
  return {
    help: values.help === true,
    ...(values.version === true ? { version: true as const } : {}),
    quiet: values.quiet === true,
    port: num("port", values.port, 0, 65535, true) ?? 4010,
    host,
    options,
  };
}

/** Shows a key in startup output without revealing it: the demo key in full (it is public), others masked. */
export function maskKey(key: string, demoKey: string): string {
  if (key === demoKey) return key;
  if (key.length <= 8) return `${"*".repeat(key.length)} (${key.length} chars)`;
  return `${key.slice(0, 4)}…${"*".repeat(4)} (${key.length} chars)`;
}
