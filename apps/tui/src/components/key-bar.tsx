import { FrameLines } from "./frame-lines.js";
import { keyBarLines } from "./key-bar-lines.js";

/** One key of the key bar. */
export interface KeyHint {
  key: string;
  label: string;
}

/** The key bar: `q quit  r refresh …`, wrapping on narrow terminals ({@link keyBarLines}). Only pass keys that do something. */
export function KeyBar({ keys, columns }: { keys: KeyHint[]; columns: number }) {
  return <FrameLines lines={keyBarLines(keys, columns)} />;
}
