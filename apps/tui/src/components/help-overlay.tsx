import { Box, Text } from "ink";
import type { KeyHint } from "./key-bar.js";

/** The `?` help: every key of the current view with what it does, plus the exit codes of a watch (`exitCodes`, default on). */
export function HelpOverlay({
  title,
  keys,
  exitCodes = true,
}: {
  title: string;
  keys: KeyHint[];
  exitCodes?: boolean;
}) {
  const width = Math.max(...keys.map((k) => k.key.length));
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text bold>{title} — keys</Text>
      {keys.map((k) => (
        <Text key={k.key}>
          <Text color="cyan">{k.key.padEnd(width)}</Text>
          {"  "}
          {k.label}
        </Text>
      ))}
      {exitCodes && (
        <Text dimColor>exit codes: 0 DONE · 1 FAILED/DELETED/expired · 3 API · 4 timeout · 130 Ctrl+C</Text>
      )}
      <Text dimColor>? or Esc closes this help · q quits</Text>
    </Box>
  );
}
