import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { AUDIO_FORMATS } from "@slng/types";
import { BulkUsageError } from "./errors.js";
import type { BulkInput } from "./types.js";

/** One manifest row before it becomes a {@link BulkInput}. */
export interface ManifestRow {
  path?: string;
  url?: string;
  title?: string;
  reference?: string;
  tags?: string[];
  language?: string;
  details?: string;
  /** Output name (relative, without extension is fine) — mostly for URL rows. */
  output?: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** The quoted section of a CSV field opening at `open` (a `"`): its text (`""` read as `"`) and the index after its closing quote. */
function quotedAt(text: string, open: number): { piece: string; next: number } {
  let piece = "";
  for (let from = open + 1; ; ) {
    const q = text.indexOf('"', from);
    if (q < 0) return { piece: piece + text.slice(from), next: text.length };
    piece += text.slice(from, q);
    if (text.charCodeAt(q + 1) !== QUOTE) return { piece, next: q + 1 };
    piece += '"';
    from = q + 2;
  }
}

/**
 * The rows of CSV text (RFC 4180: quoted fields, doubled quotes, CRLF), one at a time, blank
 * rows skipped. Fields are cut out of `text` whole (not built a character at a time), so a
 * manifest of 100,000 rows costs little more than its text.
 */
export function* csvRows(text: string): Generator<string[]> {
  let row: string[] = [];
  let field = "";
  let start = 0;
  const done = (r: string[]) => r.some((f) => f.trim() !== "");
  for (let i = 0; i < text.length; ) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE && field === "" && i === start) {
      const { piece, next } = quotedAt(text, i);
      field += piece;
      i = start = next;
    } else if (ch === COMMA || ch === LF || ch === CR) {
      row.push(field + text.slice(start, i));
      field = "";
      if (ch !== COMMA) {
        if (done(row)) yield row;
        row = [];
        if (ch === CR && text.charCodeAt(i + 1) === LF) i++;
      }
      i = start = i + 1;
    } else i++;
  }
  const last = field + text.slice(start);
  if (last !== "" || row.length > 0) {
    row.push(last);
    if (done(row)) yield row;
  }
}

/** Splits CSV text into rows of fields (see {@link csvRows}). */
export const parseCsv = (text: string): string[][] => [...csvRows(text)];

const COLUMNS = ["path", "url", "title", "reference", "tags", "language", "details", "output"];

/** Options of {@link parseManifest} and {@link readManifest}. */
export interface ManifestOptions {
  /** Take `path` rows without an audio extension (default: refuse them). */
  anyExtension?: boolean;
  /** Told once when rows name files outside the manifest's folder. */
  warn?: (message: string) => void;
}

/** True when `name` ends in one of the API's accepted audio extensions. */
export const isSupportedAudio = (name: string): boolean =>
  (AUDIO_FORMATS as readonly string[]).includes(/\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? "");

function rowFrom(obj: Record<string, unknown>, where: string, options: ManifestOptions): ManifestRow {
  const row: ManifestRow = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === "") continue;
    if (k === "tags") {
      const tags = Array.isArray(v) ? v.map(String) : String(v).split(/[;|]/);
      row.tags = tags.map((t) => t.trim()).filter(Boolean);
    } else if (COLUMNS.includes(k)) (row as Record<string, string>)[k] = String(v);
  }
  if (row.path && /^[a-z][a-z0-9+.-]*:\/\//i.test(row.path)) {
    if (row.url || !/^https:\/\//i.test(row.path))
      throw new BulkUsageError(
        `${where}: "path" holds a URL (${JSON.stringify(row.path.slice(0, 80))}); put URLs in the url column (https:// only)`,
      );
    row.url = row.path;
    delete row.path;
  }
  if (!row.path === !row.url) throw new BulkUsageError(`${where}: give exactly one of "path" or "url"`);
  if (row.path && !options.anyExtension && !isSupportedAudio(row.path))
    throw new BulkUsageError(
      `${where}: ${JSON.stringify(row.path.slice(0, 120))} is not a supported audio file (.${AUDIO_FORMATS.join(", .")}); pass --any-extension to send it anyway`,
    );
  if (row.url && !/^https:\/\//i.test(row.url))
    throw new BulkUsageError(`${where}: url must start with https:// (got ${JSON.stringify(row.url.slice(0, 80))})`);
  return row;
}

/** The non-blank lines of `text` with their 1-based numbers, one at a time. */
function* lines(text: string): Generator<{ line: string; n: number }> {
  let n = 0;
  for (let start = 0; start <= text.length; ) {
    const end = text.indexOf("\n", start);
    const stop = end < 0 ? text.length : end;
    n++;
    const line = text.slice(start, stop).trim();
    if (line !== "") yield { line, n };
    start = stop + 1;
  }
}

/**
 * The rows of a CSV (header row with `path` or `url`, optional `title,reference,tags,language,details,output`)
 * or JSONL manifest, one at a time. A `path` holding an https URL is taken as a `url`; any other
 * URL there, and (unless `anyExtension`) a path without an audio extension, is refused naming the row.
 */
export function* manifestRows(text: string, name: string, options: ManifestOptions = {}): Generator<ManifestRow> {
  if (/\.jsonl?$/i.test(name) || /^\s*\{/.test(text)) {
    for (const { line, n } of lines(text)) {
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        throw new BulkUsageError(`${name} line ${n}: not valid JSON`);
      }
      if (!obj || typeof obj !== "object" || Array.isArray(obj))
        throw new BulkUsageError(`${name} line ${n}: each line must be a JSON object`);
      yield rowFrom(obj as Record<string, unknown>, `${name} line ${n}`, options);
    }
    return;
  }
  const rows = csvRows(text);
  const header = rows.next();
  if (header.done) throw new BulkUsageError(`${name} is empty`);
  const cols = header.value.map((h) => h.trim().toLowerCase());
  if (!cols.includes("path") && !cols.includes("url"))
    throw new BulkUsageError(`${name}: the first row must name the columns, with "path" or "url" among them`);
  let i = 0;
  for (const fields of rows)
    yield rowFrom(Object.fromEntries(cols.map((c, j) => [c, fields[j]?.trim()])), `${name} row ${++i + 1}`, options);
}

/** Parses a whole manifest into rows (see {@link manifestRows}). */
export const parseManifest = (text: string, name: string, options: ManifestOptions = {}): ManifestRow[] => [
  ...manifestRows(text, name, options),
];

/** Output key of a URL row: its `output`, else the URL's last path segment. */
function urlKey(row: ManifestRow): string {
  if (row.output) return row.output;
  const last = new URL(row.url as string).pathname.split("/").filter(Boolean).pop();
  return decodeURIComponent(last ?? "recording");
}

/** Counts the local rows naming files outside the manifest's folder (keeping the first three) and warns once, through `options.warn`. */
class OutsideRows {
  count = 0;
  private readonly first: string[] = [];
  constructor(private readonly base: string) {}

  /** Notes the resolved path of a local row. */
  note(path: string): void {
    const rel = relative(this.base, path);
    if (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return;
    this.count++;
    if (this.first.length < 3) this.first.push(path);
  }

  warn(options: ManifestOptions): void {
    const n = this.count;
    if (n === 0 || !options.warn) return;
    options.warn(
      `${n} manifest row${n === 1 ? " names a file" : "s name files"} outside the manifest's folder ${this.base}: ${this.first.join(", ")}${n > 3 ? ", …" : ""} — check the manifest is the one you meant`,
    );
  }
}

/**
 * Reads a manifest file and returns its inputs, made one at a time as they are iterated; local
 * paths are relative to the manifest's folder (see {@link manifestRows}). The warning about rows
 * outside that folder is given once all are read.
 */
export async function manifestInputs(file: string, options: ManifestOptions = {}): Promise<Iterable<BulkInput>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new BulkUsageError(`cannot read the manifest ${file}: no such file or not readable`);
  }
  const base = dirname(resolve(file));
  return (function* () {
    const outside = new OutsideRows(base);
    for (const row of manifestRows(text, file, options)) {
      const input = inputOf(row, base);
      if (input.path) outside.note(input.path);
      yield input;
    }
    outside.warn(options);
  })();
}

/** The input of a manifest row (`base`: the manifest's folder). */
function inputOf(row: ManifestRow, base: string): BulkInput {
  const tracking = {
    ...(row.title ? { title: row.title } : {}),
    ...(row.reference ? { reference: row.reference } : {}),
    ...(row.tags?.length ? { tags: row.tags } : {}),
    ...(row.details ? { details: row.details } : {}),
  };
  const input: BulkInput = row.url
    ? { key: urlKey(row), url: row.url }
    : { key: row.output ?? (row.path as string), path: resolve(base, row.path as string) };
  if (Object.keys(tracking).length) input.tracking = tracking;
  if (row.language) input.language = row.language;
  return input;
}

/** Reads a manifest file into inputs; local paths are relative to the manifest's folder (see {@link manifestRows}). */
export async function readManifest(file: string, options: ManifestOptions = {}): Promise<BulkInput[]> {
  return [...(await manifestInputs(file, options))];
}
