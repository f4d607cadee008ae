import xterm from "@xterm/headless";

/**
 * What a terminal of `cols` × `rows` shows after receiving `output`: every line of its
 * scrollback and screen, top to bottom, trailing spaces and empty lines at the end dropped.
 * Unlike the raw bytes, this is what the user sees — erased lines are gone, stale ones stay. A
 * line feed also returns the cursor, as a terminal (`onlcr`) does.
 */
export function screenLines(output: string, cols: number, rows: number): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true, convertEol: true });
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

/** A run of cells with the same look on a rendered screen. */
export interface StyledRun {
  text: string;
  /** Foreground: `default`, or the palette index (0–255). */
  fg: string;
  bold: boolean;
  dim: boolean;
}

/**
 * What a terminal shows after `output`, with how it looks: each line of scrollback and screen
 * as runs of cells that share colour, bold and dim (blank cells at the end of a line and empty
 * last lines dropped). Two outputs that draw the same screen give the same runs, whatever their bytes.
 */
export function screenRuns(output: string, cols: number, rows: number): Promise<StyledRun[][]> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true, convertEol: true });
  return new Promise((resolve) => {
    terminal.write(output, () => {
      const buffer = terminal.buffer.active;
      const lines: StyledRun[][] = [];
      for (let y = 0; y < buffer.length; y++) {
        const line = buffer.getLine(y);
        const runs: StyledRun[] = [];
        for (let x = 0; line && x < cols; x++) {
          const cell = line.getCell(x);
          if (!cell || cell.getWidth() === 0) continue;
          const text = cell.getChars() || " ";
          const look = {
            fg: cell.isFgDefault() ? "default" : String(cell.getFgColor()),
            bold: cell.isBold() !== 0,
            dim: cell.isDim() !== 0,
          };
          const last = runs.at(-1);
          if (last && last.fg === look.fg && last.bold === look.bold && last.dim === look.dim) last.text += text;
          else runs.push({ text, ...look });
        }
        // Blank cells look the same whatever their bold or dim: drop them at the end of the line.
        while (runs.length > 0) {
          const last = runs[runs.length - 1] as StyledRun;
          last.text = last.text.replace(/ +$/, "");
          if (last.text !== "") break;
          runs.pop();
        }
        lines.push(runs);
      }
      while (lines.length > 0 && (lines.at(-1)?.length ?? 0) === 0) lines.pop();
      terminal.dispose();
      resolve(lines);
    });
  });
}
