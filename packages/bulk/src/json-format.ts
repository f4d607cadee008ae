const WIDTH = 120;

const isScalar = (v: unknown) => v === null || typeof v !== "object";

function format(value: unknown, indent: string, prefix: number): string {
  if (isScalar(value)) return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(isScalar)) {
      const flat = `[${value.map((v) => JSON.stringify(v) ?? "null").join(", ")}]`;
      if (prefix + flat.length + 1 <= WIDTH) return flat;
    }
    return `[\n${value.map((v) => `${inner}${format(v, inner, inner.length)}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return `${key}${format(v, inner, key.length)}`;
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

/**
 * JSON text as the repository's formatter (Biome, 2 spaces, 120 columns) writes it: objects one
 * key per line, an array of plain values on one line when it fits, a final newline. A report
 * written this way is left alone by `biome format`/`pnpm lint`.
 */
export function formatJson(value: unknown): string {
  return `${format(value, "", 0)}\n`;
}

/**
 * The text of {@link formatJson}`({ ...head, [key]: items })` in pieces, made while `items` (plain
 * objects, never scalars; read from a database page by page, say) are iterated once: a large
 * report is written without holding its rows or its text.
 */
export async function* formatJsonPieces(
  head: Record<string, unknown>,
  key: string,
  items: Iterable<object> | AsyncIterable<object>,
): AsyncGenerator<string> {
  yield "{\n";
  for (const [k, v] of Object.entries(head)) {
    if (v === undefined) continue;
    const prefix = `  ${JSON.stringify(k)}: `;
    yield `${prefix}${format(v, "  ", prefix.length)},\n`;
  }
  yield `  ${JSON.stringify(key)}: `;
  let first = true;
  for await (const item of items) {
    yield `${first ? "[\n" : ",\n"}    ${format(item, "    ", 4)}`;
    first = false;
  }
  yield first ? "[]\n}\n" : "\n  ]\n}\n";
}

/** Joins `pieces` into strings of about `size` characters (fewer, larger writes). */
export async function* batched(pieces: AsyncIterable<string>, size = 65_536): AsyncGenerator<string> {
  let buffer: string[] = [];
  let length = 0;
  for await (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join("");
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join("");
}
