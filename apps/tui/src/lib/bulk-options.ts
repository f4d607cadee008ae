import type { RunConfig } from "@slng/bulk";
import type { OutputFormat } from "@slng/types";
import { numberOption, type ParsedCommand, UsageError } from "./args.js";

/** What `slng-batch bulk` was asked to do, checked before anything is read or sent. */
export interface BulkRequest {
  sources: string[];
  manifest?: string;
  outDir: string;
  formats: OutputFormat[];
  concurrency: number;
  retryFailed: boolean;
  dryRun: boolean;
  overwrite: boolean;
  followSymlinks: boolean;
  anyExtension: boolean;
  maxOfflineMs?: number;
  run: RunConfig;
  /** A shared run: the PostgreSQL URL (from --store or SLNG_BULK_STORE) and the run's name. */
  shared?: SharedRun;
}

/** Where a shared run lives. */
export interface SharedRun {
  store: string;
  run: string;
}

/**
 * `--store`/`SLNG_BULK_STORE` and `--run`: both or neither (a store without a run name, or a
 * name without a store, is refused); the store must be a `postgres://` URL.
 */
export function parseSharedRun(values: ParsedCommand["values"], env: NodeJS.ProcessEnv): SharedRun | undefined {
  const store = typeof values.store === "string" ? values.store : env.SLNG_BULK_STORE || undefined;
  const run = typeof values.run === "string" ? values.run : undefined;
  if (!store && !run) return undefined;
  if (!store) throw new UsageError("--run needs --store postgres://user:password@host/db (or SLNG_BULK_STORE)", "bulk");
  if (!/^postgres(ql)?:\/\//.test(store))
    throw new UsageError("--store must be a postgres:// URL, e.g. postgres://user:password@host:5432/db", "bulk");
  if (!run) throw new UsageError("--store needs --run <name>: the name every worker of the run gives", "bulk");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(run))
    throw new UsageError(`--run must be 1-100 letters, digits, dots, dashes or underscores (got "${run}")`, "bulk");
  return { store, run };
}

const FORMATS: readonly OutputFormat[] = ["txt", "srt", "json"];

function oneOf(values: ParsedCommand["values"], name: string, allowed: readonly string[]): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !allowed.includes(v))
    throw new UsageError(`--${name} must be ${allowed.join(", ")} (got "${String(v)}")`, "bulk");
  return v;
}

function metadataOf(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== "string") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError('--metadata must be a JSON object, e.g. \'{"team":"sales"}\'', "bulk");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError("--metadata must be a JSON object", "bulk");
  return parsed as Record<string, unknown>;
}

function runConfigOf(values: ParsedCommand["values"]): RunConfig {
  const language = values.language;
  if (
    language !== undefined &&
    (typeof language !== "string" || !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(language))
  )
    throw new UsageError(
      `--language must be a language code such as en, de or pt-BR (got "${String(language)}")`,
      "bulk",
    );
  const config: NonNullable<RunConfig["config"]> = { language: (language as string | undefined) ?? "en" };
  const op = oneOf(values, "operating-point", ["standard", "enhanced"]);
  if (op) config.operating_point = op as "standard" | "enhanced";
  const diar = oneOf(values, "diarization", ["none", "speaker", "channel"]);
  if (diar) config.diarization = diar as "none" | "speaker" | "channel";
  const tracking: NonNullable<RunConfig["tracking"]> = {};
  if (typeof values.title === "string") tracking.title = values.title;
  if (typeof values.reference === "string") tracking.reference = values.reference;
  if (Array.isArray(values.tag) && values.tag.length > 0) tracking.tags = values.tag;
  const metadata = metadataOf(values.metadata);
  return {
    config,
    ...(Object.keys(tracking).length ? { tracking } : {}),
    ...(typeof values.model === "string" ? { modelCode: values.model } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

/** Reads `bulk`'s arguments; every problem is a {@link UsageError} (exit 2). */
export function parseBulkRequest(
  values: ParsedCommand["values"],
  positionals: readonly string[],
  env: NodeJS.ProcessEnv = {},
): BulkRequest {
  const shared = parseSharedRun(values, env);
  if (shared && values["dry-run"] === true) throw new UsageError("--dry-run is not available with --store", "bulk");
  const manifest = typeof values.manifest === "string" ? values.manifest : undefined;
  if (positionals.length === 0 && !manifest)
    throw new UsageError("give at least one file or folder, or --manifest <file>", "bulk");
  const outDir = values.out;
  if (typeof outDir !== "string" || outDir.trim() === "")
    throw new UsageError("--out <dir> is required: the folder the transcripts (and the resume journal) go to", "bulk");
  const formats = String(values.format ?? "txt")
    .split(",")
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  for (const f of formats)
    if (!(FORMATS as readonly string[]).includes(f))
      throw new UsageError(`--format takes txt, srt and json, comma-separated (got "${f}")`, "bulk");
  if (formats.length === 0) throw new UsageError("--format needs at least one of txt, srt, json", "bulk");
  const concurrency = numberOption(values, "concurrency", "bulk", { integer: true, min: 1 }) ?? 4;
  if (concurrency > 64) throw new UsageError("--concurrency must be at most 64", "bulk");
  const maxOffline = numberOption(values, "max-offline", "bulk", { min: 1 });
  return {
    sources: [...positionals],
    ...(manifest ? { manifest } : {}),
    outDir,
    formats: [...new Set(formats)] as OutputFormat[],
    concurrency,
    retryFailed: values["retry-failed"] === true,
    dryRun: values["dry-run"] === true,
    overwrite: values.overwrite === true,
    followSymlinks: values["follow-symlinks"] === true,
    anyExtension: values["any-extension"] === true,
    ...(maxOffline !== undefined ? { maxOfflineMs: maxOffline * 1000 } : {}),
    run: runConfigOf(values),
    ...(shared ? { shared } : {}),
  };
}
