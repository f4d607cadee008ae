import xterm from "@xterm/headless";

/**
 * What a terminal of `cols` × `rows` shows after receiving `output`: every line of its
 * scrollback and screen, top to bottom, trailing spaces and empty lines at the end dropped.
 * Unlike the raw bytes, this is what the user sees — erased lines are gone, stale ones stay.
 */
export function screenLines(output: string, cols: number, rows: number): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true });
  return new Promise((resolve) => {
    terminal.write(output, () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
      while (lines.length > 0 && lines.at(-1) === "") lines.pop();
      terminal.dispose();
      resolve(lines);
    });
  });
}
