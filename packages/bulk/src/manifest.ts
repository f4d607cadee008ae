import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
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

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

const COLUMNS = ["path", "url", "title", "reference", "tags", "language", "details", "output"];

function rowFrom(obj: Record<string, unknown>, where: string): ManifestRow {
  const row: ManifestRow = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === "") continue;
    if (k === "tags") {
      const tags = Array.isArray(v) ? v.map(String) : String(v).split(/[;|]/);
      row.tags = tags.map((t) => t.trim()).filter(Boolean);
    } else if (COLUMNS.includes(k)) (row as Record<string, string>)[k] = String(v);
  }
  if (!row.path === !row.url) throw new BulkUsageError(`${where}: give exactly one of "path" or "url"`);
  if (row.url && !/^https:\/\//i.test(row.url))
    throw new BulkUsageError(`${where}: url must start with https:// (got ${JSON.stringify(row.url.slice(0, 80))})`);
  return row;
}

/** Parses a CSV (header row with `path` or `url`, optional `title,reference,tags,language,details,output`) or JSONL manifest. */
export function parseManifest(text: string, name: string): ManifestRow[] {
  if (/\.jsonl?$/i.test(name) || /^\s*\{/.test(text)) {
    return text
      .split(/\r?\n/)
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter((l) => l.line !== "")
      .map(({ line, n }) => {
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch {
          throw new BulkUsageError(`${name} line ${n}: not valid JSON`);
        }
        if (!obj || typeof obj !== "object" || Array.isArray(obj))
          throw new BulkUsageError(`${name} line ${n}: each line must be a JSON object`);
        return rowFrom(obj as Record<string, unknown>, `${name} line ${n}`);
      });
  }
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new BulkUsageError(`${name} is empty`);
  const cols = header.map((h) => h.trim().toLowerCase());
  if (!cols.includes("path") && !cols.includes("url"))
    throw new BulkUsageError(`${name}: the first row must name the columns, with "path" or "url" among them`);
  return rows.map((fields, i) =>
    rowFrom(Object.fromEntries(cols.map((c, j) => [c, fields[j]?.trim()])), `${name} row ${i + 2}`),
  );
}

/** Output key of a URL row: its `output`, else the URL's last path segment. */
function urlKey(row: ManifestRow): string {
  if (row.output) return row.output;
  const last = new URL(row.url as string).pathname.split("/").filter(Boolean).pop();
  return decodeURIComponent(last ?? "recording");
}

/** Reads a manifest file into inputs; local paths are relative to the manifest's folder. */
export async function readManifest(file: string): Promise<BulkInput[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new BulkUsageError(`cannot read the manifest ${file}: no such file or not readable`);
  }
  const base = dirname(resolve(file));
  return parseManifest(text, file).map((row) => {
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
  });
}
