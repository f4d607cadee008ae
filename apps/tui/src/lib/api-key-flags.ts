import { readFile } from "node:fs/promises";
import { UsageError } from "./args.js";
import { ConfigError } from "./config.js";

/** The one-line warning `--api-key` prints: a key on the command line is visible to every user in `ps`. */
export const API_KEY_FLAG_WARNING =
  "warning: --api-key shows your key to every user of this machine (ps) and in your shell history; use SLNG_API_KEY, or --api-key-file PATH (--api-key-file - reads it from stdin)\n";

/** The key from the command line, and which flag gave it (for messages); undefined when none did. */
export interface FlagKey {
  key: string;
  flag: "--api-key" | "--api-key-file";
}

/** Where a key file is read from: a path, or standard input for `-`. */
export interface KeySources {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

async function readStdin(stdin: KeySources["stdin"]): Promise<string> {
  if (stdin.isTTY)
    throw new ConfigError(
      "--api-key-file - reads the key from standard input, which is a terminal here: pipe it in (e.g. --api-key-file - < key.txt) or give a file path.",
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : code === "EACCES" || code === "EPERM"
            ? "no permission to read it"
            : `it cannot be read (${code ?? "error"})`;
    throw new ConfigError(`--api-key-file ${path}: ${why}. Give the path of a file that holds just the key.`);
  }
}

/**
 * The API key given on the command line: `--api-key KEY` (with {@link API_KEY_FLAG_WARNING} on
 * stderr) or `--api-key-file PATH` / `--api-key-file -` (stdin), its content without surrounding
 * white space. Both at once is a usage error; a missing, unreadable or empty file a
 * {@link ConfigError} (exit 2). The key itself is never part of a message.
 */
export async function apiKeyFromFlags(
  values: Record<string, unknown>,
  io: KeySources,
  command?: ConstructorParameters<typeof UsageError>[1],
): Promise<FlagKey | undefined> {
  const flag = typeof values["api-key"] === "string" ? values["api-key"] : undefined;
  const file = typeof values["api-key-file"] === "string" ? values["api-key-file"] : undefined;
  if (flag !== undefined && file !== undefined)
    throw new UsageError("give the key with --api-key or --api-key-file, not both", command);
  if (flag !== undefined) {
    io.stderr.write(API_KEY_FLAG_WARNING);
    return { key: flag, flag: "--api-key" };
  }
  if (file === undefined) return undefined;
  if (file === "") throw new UsageError("--api-key-file needs a path (or - for stdin)", command);
  const text = file === "-" ? await readStdin(io.stdin) : await readKeyFile(file);
  const key = text.trim();
  if (key === "" && file === "-")
    throw new ConfigError(
      `standard input was empty: pipe the key in, e.g. slng-batch ${command ?? "<command>"} … --api-key-file - < key.txt`,
    );
  if (key === "")
    throw new ConfigError(`--api-key-file ${file} is empty: put your API key in it, or set SLNG_API_KEY.`);
  return { key, flag: "--api-key-file" };
}
