import { parseArgs } from "node:util";
import { BULK_COMMAND, BULK_EXIT_HELP } from "./bulk-args.js";
import { EXIT_CODE_HELP, exitCodeHelp } from "./exit-codes.js";

/** A command-line usage error: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The command whose help the user should read, if any. */
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

/** The commands of `slng-batch`. */
export type CommandName =
  | "watch"
  | "jobs"
  | "submit"
  | "bulk"
  | "transcript"
  | "files"
  | "delete"
  | "emulator"
  | "demo";

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean; arg?: string; help: string };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  "api-key": {
    type: "string",
    arg: "key",
    help: "API key (seen by every user in ps, with a warning: prefer SLNG_API_KEY or --api-key-file)",
  },
  "api-key-file": { type: "string", arg: "path|-", help: "read the API key from this file (- for stdin)" },
  "base-url": { type: "string", arg: "url", help: "API base URL (SLNG_BASE_URL; default https://api.batch.slng.ai)" },
  json: { type: "boolean", help: "print one JSON object per line instead of the terminal UI" },
  "no-color": { type: "boolean", help: "no colours (also NO_COLOR=1 or TERM=dumb)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

/** `slng-batch --version` (or `-v`), alone: listed in the top-level help only. */
const VERSION_OPTION: OptionSpec = { type: "boolean", short: "v", help: "print the version of slng-batch" };

interface CommandSpec {
  usage: string;
  summary: string;
  /** A last positional with `variadic` takes every remaining argument. */
  positionals: { name: string; required: boolean; variadic?: boolean }[];
  options: Record<string, OptionSpec>;
  details?: string;
  /** Whether it talks to the API (and so needs a key or base URL). */
  needsApi: boolean;
  /** The global options it takes, when not all of them (a local command has no use for a key or base URL). */
  globals?: readonly string[];
}

const LOCAL_GLOBALS = ["json", "no-color", "help"] as const;

/** The global options `command` accepts. */
function globalOptions(command: CommandName): Record<string, OptionSpec> {
  const only = COMMANDS[command].globals;
  if (!only) return GLOBAL_OPTIONS;
  return Object.fromEntries(Object.entries(GLOBAL_OPTIONS).filter(([name]) => only.includes(name)));
}

const WATCH_OPTIONS: Record<string, OptionSpec> = {
  timeout: { type: "string", arg: "seconds", help: "give up after this long (exit code 4; 0 = no limit)" },
  stay: { type: "boolean", help: "keep the view open on the finished job (for t, s, d)" },
  "max-offline": {
    type: "string",
    arg: "seconds",
    help: "exit 3 when the API stays unreachable this long (default 600)",
  },
};

/** Every command, its arguments, options and help text. */
export const COMMANDS: Record<CommandName, CommandSpec> = {
  watch: {
    usage: "slng-batch watch <jobId> [--timeout s] [--max-offline s] [--stay]",
    summary: "watch one job live until it finishes",
    positionals: [{ name: "jobId", required: true }],
    options: WATCH_OPTIONS,
    details:
      "Keys: q quit (the job keeps running)  r refresh  t transcript  s save outputs  d delete  ? help\nThe watch rides out transient API errors (5xx, 429, dropped connections) and retries.",
    needsApi: true,
  },
  jobs: {
    usage: "slng-batch jobs [--status DONE,FAILED] [--sort submitted_at|status|model_code] [--asc] [--limit n]",
    summary: "browse your jobs (a live dashboard on a terminal, a table otherwise)",
    positionals: [],
    options: {
      status: { type: "string", arg: "list", help: "only these statuses (comma-separated)" },
      sort: { type: "string", arg: "field", help: "sort by submitted_at (default), status or model_code" },
      asc: { type: "boolean", help: "ascending order (default descending)" },
      limit: { type: "string", arg: "n", help: "without a terminal: at most n jobs (default 100)" },
    },
    details:
      "Keys: ↑/↓ or j/k move  ←/→ or n/p page  Enter watch  f filter status  o sort  / search all jobs (m reads more, Esc stops/clears)  d delete  r refresh  ? help  q quit",
    needsApi: true,
  },
  submit: {
    usage: "slng-batch submit <file|https-url> [options] [--watch]",
    summary: "upload a recording (with a progress bar) and create a job",
    positionals: [{ name: "file|url", required: true }],
    options: {
      language: { type: "string", arg: "code", help: "language code (default en)" },
      "operating-point": { type: "string", arg: "standard|enhanced", help: "accuracy level" },
      diarization: { type: "string", arg: "none|speaker|channel", help: "speaker separation" },
      title: { type: "string", arg: "text", help: "tracking title" },
      reference: { type: "string", arg: "text", help: "tracking reference" },
      tag: { type: "string", multiple: true, arg: "tag", help: "tracking tag (repeatable)" },
      "job-id": { type: "string", arg: "id", help: "choose the job id (letters and digits)" },
      model: { type: "string", arg: "code", help: "model code" },
      metadata: { type: "string", arg: "json", help: "metadata object as JSON text" },
      watch: { type: "boolean", short: "w", help: "watch the job after submitting" },
      ...WATCH_OPTIONS,
    },
    needsApi: true,
  },
  bulk: BULK_COMMAND,
  transcript: {
    usage: "slng-batch transcript <jobId> [--format txt|srt|json] [-o file [--force]]",
    summary: "print or save a finished job's transcript",
    positionals: [{ name: "jobId", required: true }],
    options: {
      format: { type: "string", short: "f", arg: "txt|srt|json", help: "output format (default txt)" },
      output: {
        type: "string",
        short: "o",
        arg: "file",
        help: "write to this file instead of stdout (never over an existing one)",
      },
      force: { type: "boolean", help: "with -o: overwrite the file if it exists" },
    },
    needsApi: true,
  },
  files: {
    usage: "slng-batch files <jobId> [--urls]",
    summary: "list a job's input and output files (signatures hidden)",
    positionals: [{ name: "jobId", required: true }],
    options: { urls: { type: "boolean", help: "show full signed download URLs (valid about 1 hour)" } },
    needsApi: true,
  },
  delete: {
    usage: "slng-batch delete <jobId> [--yes]",
    summary: "delete a finished (DONE or FAILED) job",
    positionals: [{ name: "jobId", required: true }],
    options: { yes: { type: "boolean", short: "y", help: "do not ask (required without a terminal)" } },
    details:
      "Exits 0 when the job is deleted (or already was), 1 when it is still running (only DONE or FAILED jobs can be deleted: wait for it with slng-batch watch), 2 for a usage error, 3 for an API problem.",
    needsApi: true,
  },
  emulator: {
    usage: "slng-batch emulator [--port n] [--api-key key] [--data-dir dir] [--rtf x] [--fault-rate p] [options]",
    summary: "run the local SLNG Batch API emulator (Ctrl+C to stop)",
    positionals: [],
    // The options of the emulator package's own `slng-emulator`, parsed and checked by its parser.
    options: {
      port: { type: "string", arg: "n", help: "port to listen on (default 4010; 0 picks a free one)" },
      host: { type: "string", arg: "addr", help: "address to bind (default 127.0.0.1)" },
      "api-key": {
        type: "string",
        multiple: true,
        arg: "key",
        help: "accepted API key; repeat for several (default: the public demo key)",
      },
      "data-dir": {
        type: "string",
        arg: "dir",
        help: "keep uploads and outputs here (default: a temp dir removed on exit)",
      },
      rtf: { type: "string", arg: "x", help: "processing seconds per second of audio (default 0.1)" },
      "min-stage-ms": { type: "string", arg: "n", help: "minimum time in each processing stage, ms (default 400)" },
      retention: {
        type: "string",
        arg: "s",
        help: "set expired_at this many seconds after completion (default: never)",
      },
      "fault-rate": { type: "string", arg: "p", help: "probability 0..1 that an API request gets an injected fault" },
      "fault-seed": { type: "string", arg: "n", help: "seed of the fault sequence (default: random)" },
      "fault-kinds": {
        type: "string",
        arg: "list",
        help: "comma-separated: 500,503,429,drop,latency,lost (default: all but lost)",
      },
      "cors-origin": {
        type: "string",
        multiple: true,
        arg: "url",
        help: "let a web page on this origin call it from a browser; repeat for several, * for any",
      },
      quiet: { type: "boolean", short: "q", help: "do not log one line per request" },
    },
    details:
      'Make a job fail: submit with --metadata \'{"emulator":{"fail":"<message>"}}\'.\nForce a fault on one request: header x-slng-emulator-fault: 500 | 503 | 429 | drop | lost | latency:<ms>.\n("lost" applies the request, then drops the connection: the answer is lost.)',
    needsApi: false,
    globals: LOCAL_GLOBALS,
  },
  demo: {
    usage: "slng-batch demo [--seconds n] [--stay]",
    summary: "try it with no key and no network: embedded emulator, sample upload, live watch, transcript",
    positionals: [],
    options: {
      seconds: { type: "string", arg: "n", help: "length of the generated sample recording (default 20)" },
      stay: { type: "boolean", help: "keep the view open at the end" },
    },
    needsApi: false,
    globals: LOCAL_GLOBALS,
  },
};

/** A parsed command line. */
export interface ParsedCommand {
  command: CommandName;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  help: boolean;
}

/** What `parseCommandLine` returns: a command, a request for top-level help or the version. */
export type ParsedArgs = ParsedCommand | { command: "help"; topic?: CommandName } | { command: "version" };

function toParseArgsOptions(options: Record<string, OptionSpec>) {
  const out: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    out[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/**
 * `argv` with the global options given before the command moved after it (as `gh --json …` or
 * `git -C dir …` read them): `--json --base-url U jobs` is `jobs --json --base-url U`. Anything
 * else before the command is left in place (and refused by {@link parseCommandLine}).
 */
export function globalsAfterCommand(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--") || arg === "--") break;
    const spec = GLOBAL_OPTIONS[arg.slice(2).split("=")[0] as string];
    if (!spec || arg === "--help") break;
    const takesNext = spec.type === "string" && !arg.includes("=") && i + 1 < argv.length;
    leading.push(...argv.slice(i, takesNext ? i + 2 : i + 1));
    i += takesNext ? 2 : 1;
  }
  if (leading.length === 0 || i >= argv.length) return [...argv];
  return [argv[i] as string, ...leading, ...argv.slice(i + 1)];
}

/** Parses `argv` (without node and the script). Throws {@link UsageError} on bad input. */
export function parseCommandLine(rawArgv: readonly string[]): ParsedArgs {
  const argv = globalsAfterCommand(rawArgv);
  const first = argv[0];
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = argv[1];
    if (first === "help" && topic !== undefined) {
      if (!isCommand(topic))
        throw new UsageError(`unknown command "${topic}"${didYouMean(topic, Object.keys(COMMANDS))}`);
      return { command: "help", topic };
    }
    return { command: "help" };
  }
  if (first === "--version" || first === "-v") return { command: "version" };
  if (!isCommand(first)) {
    if (Object.hasOwn(GLOBAL_OPTIONS, first.replace(/^--/, "").split("=")[0] as string))
      throw new UsageError("missing command: put one after the global options (e.g. slng-batch --json jobs)");
    if (first.startsWith("-"))
      throw new UsageError(
        `${first} is not a global option: a command must come first, with its options after it (e.g. slng-batch jobs --json)`,
      );
    throw new UsageError(`unknown command "${first}"${didYouMean(first, Object.keys(COMMANDS))}`);
  }
  const spec = COMMANDS[first];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv.slice(1), { ...globalOptions(first), ...spec.options }),
      options: toParseArgsOptions({ ...globalOptions(first), ...spec.options }),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const options = Object.keys({ ...globalOptions(first), ...spec.options }).map((name) => `--${name}`);
    throw new UsageError(cleanParseError(text, options), first);
  }
  const values = parsed.values as ParsedCommand["values"];
  if (values.help) return { command: first, positionals: parsed.positionals, values, help: true };
  const required = spec.positionals.filter((p) => p.required);
  if (parsed.positionals.length < required.length) {
    throw new UsageError(`missing <${required[parsed.positionals.length]?.name}>`, first);
  }
  if (parsed.positionals.length > spec.positionals.length && !spec.positionals.at(-1)?.variadic) {
    throw new UsageError(`unexpected argument "${parsed.positionals[spec.positionals.length]}"`, first);
  }
  return { command: first, positionals: parsed.positionals, values, help: false };
}

/** `--timeout -1` as `--timeout=-1`: a negative number is a value (checked later), not an option. */
function joinNegativeValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name && options[name]?.type === "string" && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function cleanParseError(text: string, options: readonly string[]): string {
  const unknown = /Unknown option '([^']+)'/.exec(text);
  if (unknown) return `unknown option ${unknown[1]}${didYouMean(unknown[1] ?? "", options)}`;
  const missing = /Option '([^']+)' argument missing/.exec(text);
  if (missing) return `option ${missing[1]?.replace(/^-\w, /, "")} needs a value`;
  return text.split("\n")[0] ?? text;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** ` — did you mean "x"?` for the closest candidate within two edits (a typo), else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? "" : ` — did you mean "${best}"?`;
}

/** Parses a number option (seconds, port…). Throws {@link UsageError} unless it is a non-negative number. */
export function numberOption(
  values: ParsedCommand["values"],
  name: string,
  command: CommandName,
  opts: { integer?: boolean; min?: number } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const min = opts.min ?? 0;
  if (
    typeof raw !== "string" ||
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    value < min ||
    (opts.integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `--${name} must be ${opts.integer ? "an integer" : "a number"} ≥ ${min} (got "${String(raw)}")`,
      command,
    );
  }
  return value;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.arg ? ` <${spec.arg}>` : ""}`;
    return [flag, spec.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
}

/** The help text of one command, or of the whole tool when `command` is undefined. */
export function helpText(command?: CommandName): string {
  if (command) {
    const spec = COMMANDS[command];
    const parts = [`Usage: ${spec.usage}`, "", `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`];
    if (spec.details) parts.push("", spec.details);
    if (Object.keys(spec.options).length > 0) parts.push("", "Options:", ...optionLines(spec.options));
    parts.push("", "Global options:", ...optionLines(globalOptions(command)));
    parts.push("", command === "bulk" ? BULK_EXIT_HELP : exitCodeHelp(command));
    return `${parts.join("\n")}\n`;
  }
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length));
  return `slng-batch — submit, watch and manage SLNG Batch speech-to-text jobs

Usage: slng-batch [global options] <command> [options]

Commands:
${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`).join("\n")}

Try it now, no key needed:  slng-batch demo

Global options:
${optionLines({ ...GLOBAL_OPTIONS, version: VERSION_OPTION }).join("\n")}

Environment:
  SLNG_API_KEY    your API key
  SLNG_BASE_URL   API base URL (e.g. a local emulator: http://127.0.0.1:4010)
  NO_COLOR, FORCE_COLOR, TERM=dumb, CI   colour and terminal detection

${EXIT_CODE_HELP}

Run "slng-batch <command> --help" for a command's options.
`;
}
