import { Box, Text } from "ink";

import { wrapLines } from "../lib/wrap-lines.js";

export { wrapLines };

/** The transcript as the pager's lines at `width`: the text's final newline adds no empty line. */
export function transcriptLines(transcript: string, width: number): string[] {
  return wrapLines(transcript.trimEnd(), width);
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
          {end - start <= 1 ? `line ${end}` : `lines ${start + 1}–${end}`} of {lines.length} · ↑/↓ j/k scroll · space/b
          page · g/G top/end · t/Esc close · q quit
        </Text>
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <Text key={start + i}>{line === "" ? " " : line}</Text>
      ))}
    </Box>
  );
}
