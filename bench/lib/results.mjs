import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

/**
 * Writes `bench/results/<name>.md`: this run's `lines`, then the file's "## History" section
 * (earlier figures and notes, written by hand) kept from run to run; prints the text.
 */
export function writeResults(name, lines) {
  const file = join(resultsDir, `${name}.md`);
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const history = previous.indexOf("\n## History");
  const text = `${lines.join("\n").trimEnd()}\n${history >= 0 ? `${previous.slice(history).trimEnd()}\n` : ""}`;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(file, text);
  console.log(text);
}
