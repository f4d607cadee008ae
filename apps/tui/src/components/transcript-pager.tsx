import { Box, Text } from "ink";

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

/** Props of {@link TranscriptPager}. */
export interface TranscriptPagerProps {
  lines: string[];
  offset: number;
  height: number;
}

/** The largest useful scroll offset for `lines` shown `height` at a time. */
export function maxOffset(lineCount: number, height: number): number {
  return Math.max(0, lineCount - height);
}

/** A scrollable view of the full transcript (`t`): `height` lines from `offset`, with a position line. */
export function TranscriptPager({ lines, offset, height }: TranscriptPagerProps) {
  const h = Math.max(1, height);
  const start = Math.min(Math.max(0, offset), maxOffset(lines.length, h));
  const shown = lines.slice(start, start + h);
  const end = start + shown.length;
  return (
    <Box flexDirection="column">
      <Text bold>
        Transcript{" "}
        <Text dimColor>
          lines {lines.length === 0 ? 0 : start + 1}–{end} of {lines.length} · ↑/↓ j/k scroll · space/b page · g/G
          top/end · t/Esc close
        </Text>
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <Text key={start + i}>{line === "" ? " " : line}</Text>
      ))}
    </Box>
  );
}
