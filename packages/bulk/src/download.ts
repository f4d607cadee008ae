import { readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { redactUrl, SlngApiError, type SlngClient, SlngNetworkError } from "@slng/client";
import type { OutputFormat } from "@slng/types";
import { pathConflict } from "./reconcile.js";
import { OutputConflictError, saveAtomically } from "./save.js";
import { withSignalOf } from "./util.js";

type FetchLike = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/**
 * GETs one signed output URL (no API key: storage URLs are fetched bare) and returns the
 * response, its body unread, so the caller can stream it to disk (keep the `Response` referenced
 * until the body is read: undici cancels the body of a collected response). Non-2xx answers become {@link SlngApiError}
 * (403 = the link expired), failures to connect {@link SlngNetworkError}; both name the URL with
 * its signature redacted. `onRequest` is told of every attempt (for request counting).
 */
export async function fetchOutput(
  url: string,
  fetchImpl: FetchLike | undefined,
  signal: AbortSignal,
  onRequest: () => void,
): Promise<Response> {
  const label = `GET ${redactUrl(url)}`;
  onRequest();
  let res: Response;
  try {
    const req = new Request(url, { signal });
    res = await (fetchImpl ? fetchImpl(req, { signal }) : globalThis.fetch(req));
  } catch (e) {
    throw new SlngNetworkError(`${label} failed: ${redactUrl(e instanceof Error ? e.message : String(e))}`, {
      cause: e,
    });
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => "");
    let message = `${label} answered ${res.status}`;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === "string") message = `${parsed.error} (${label})`;
    } catch {}
    throw new SlngApiError(redactUrl(message), { status: res.status, request: label });
  }
  return res;
}

/** What {@link saveOutputs} needs. */
export interface SaveOutputsOptions {
  jobId: string;
  formats: readonly OutputFormat[];
  /** Formats already saved (skipped). */
  saved: readonly OutputFormat[];
  pathOf: (format: OutputFormat) => string;
  fetch: FetchLike | undefined;
  signal: AbortSignal;
  /** Told of each storage request (API requests go through the client). */
  onRequest: () => void;
  /** Told after each format is saved, with every format saved so far. */
  onSaved: (saved: OutputFormat[]) => void;
  /** Remove `<output>.tmp-*` files a killed run left behind (for downloads resumed from an earlier run). */
  cleanStale?: boolean;
  /** The output folder: every output's folder must stay inside it by real path. */
  root?: string;
  /** Formats whose paths are this run's to replace (see `ownedFormats`); any other existing path is refused. */
  owned?: readonly OutputFormat[];
  /** Replace whatever is at an output path. */
  overwrite?: boolean;
  /** Told the formats about to be written, before the first byte; resolves once that is recorded durably. */
  claim?: (formats: OutputFormat[]) => Promise<void>;
}

/** Refuses (before any request) to write where {@link pathConflict} says no. */
async function checkOutputs(o: SaveOutputsOptions, wanted: readonly OutputFormat[]): Promise<void> {
  if (!o.root) return;
  for (const format of wanted) {
    const mayReplace = !!o.overwrite || o.saved.includes(format) || !!o.owned?.includes(format);
    const conflict = await pathConflict(o.root, o.pathOf(format), mayReplace);
    if (conflict) throw new OutputConflictError(conflict);
  }
}

/**
 * Removes the temporary files (`<path>.tmp-*`) an interrupted save of `path` left; with
 * `olderThanMs`, only those not written to for that long (a shared run's other workers may be
 * writing theirs right now).
 */
export async function removeStaleTemps(path: string, olderThanMs = 0): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const before = Date.now() - olderThanMs;
  const stale = async (p: string) =>
    olderThanMs <= 0 || ((await stat(p).catch(() => undefined))?.mtimeMs ?? before) < before;
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix))
      .map(async (n) => {
        const p = join(dirname(path), n);
        if (await stale(p)) await rm(p, { force: true });
      }),
  );
}

/**
 * Saves every wanted format of a DONE job: first checks each path is bulk's to write (inside
 * `root`, and empty or owned — else {@link OutputConflictError} before any request) and claims
 * them; then one `files` call for the signed links, then each output streamed to disk
 * atomically. Returns the formats saved. A missing format throws a non-retryable error; a 403
 * (expired link) or network trouble throws a retryable one.
 */
export async function saveOutputs(client: SlngClient, o: SaveOutputsOptions): Promise<OutputFormat[]> {
  const saved = new Set(o.saved);
  const wanted = o.formats.filter((f) => !saved.has(f));
  await checkOutputs(o, wanted);
  if (wanted.length) await o.claim?.([...new Set([...(o.owned ?? []), ...wanted])]);
  const files = await client.jobs.files(o.jobId, { signal: o.signal });
  for (const format of wanted) {
    const out = files.outputs.find((f) => f.format === format);
    if (!out) throw Object.assign(new Error(`job ${o.jobId} has no ${format} output`), { retryable: false });
    if (o.cleanStale) await removeStaleTemps(o.pathOf(format));
    await withSignalOf(o.signal, async (signal) => {
      const res = await fetchOutput(out.download_url, o.fetch, signal, o.onRequest);
      await saveAtomically(o.pathOf(format), res, o.root);
    });
    saved.add(format);
    o.onSaved([...saved]);
  }
  return [...saved];
}
