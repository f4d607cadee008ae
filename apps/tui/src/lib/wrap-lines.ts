/** Wraps text to `width` columns at spaces (long words are cut). */
export function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(10, width);
  for (const para of text.split(/\r?\n/)) {
    if (para === "") {
      out.push("");
      continue;
    }
    let line = "";
    for (const word of para.split(/\s+/)) {
      if (word === "") continue;
      if (line === "") line = word;
      else if (line.length + 1 + word.length <= w) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
      while (line.length > w) {
        out.push(line.slice(0, w));
        line = line.slice(w);
      }
    }
    if (line !== "") out.push(line);
  }
  return out;
}
