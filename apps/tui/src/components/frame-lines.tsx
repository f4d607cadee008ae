import { Box, Text } from "ink";
import type { FrameLine } from "./frame-line.js";

/** One {@link FrameLine} as Ink text: a `<Text>` per span with its colour, bold and dim. */
export function FrameText({ line }: { line: FrameLine }) {
  return (
    <Text>
      {line.length === 0
        ? " "
        : line.map((s, i) =>
            s.color || s.bold || s.dim ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: spans are positional
              <Text key={i} {...(s.color ? { color: s.color } : {})} bold={s.bold === true} dimColor={s.dim === true}>
                {s.text}
              </Text>
            ) : (
              s.text
            ),
          )}
    </Text>
  );
}

/** Lines of a frame, one under the other. */
export function FrameLines({ lines }: { lines: readonly FrameLine[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <FrameText key={i} line={line} />
      ))}
    </Box>
  );
}
