import { Box, Text } from "ink";

/** One key of the key bar. */
export interface KeyHint {
  key: string;
  label: string;
}

/** The key bar: `[q] quit  [r] refresh …`, wrapping on narrow terminals. Only pass keys that do something. */
export function KeyBar({ keys, columns }: { keys: KeyHint[]; columns: number }) {
  return (
    <Box flexWrap="wrap" width={Math.max(20, columns - 1)} columnGap={2}>
      {keys.map((k) => (
        <Text key={k.key}>
          <Text bold color="cyan">
            {k.key}
          </Text>
          <Text dimColor> {k.label}</Text>
        </Text>
      ))}
    </Box>
  );
}
