import { Box, Static } from "ink";
import { sanitizeWatchState } from "../lib/sanitize.js";
import { FrameLines } from "./frame-lines.js";
import { HelpOverlay } from "./help-overlay.js";
import { TranscriptPager, transcriptLines } from "./transcript-pager.js";
import { type WatchFrame, type WatchViewProps, watchFrame, watchKeys } from "./watch-frame.js";

export { type WatchOverlay, type WatchViewProps, watchKeys } from "./watch-frame.js";

/**
 * The live view of one job in Ink: the lines of {@link watchFrame} (the header and finished
 * stages through `<Static>` when `useStatic`), or an overlay — the help or the transcript
 * pager. `frame` is the frame already built from these props, when the caller has it.
 */
export function WatchView(props: WatchViewProps & { frame?: WatchFrame }) {
  const { state, columns, rows } = props;
  const overlay = props.overlay ?? { kind: "none" };
  const frame = props.frame ?? watchFrame(props);
  const staticBlock =
    props.useStatic === true ? (
      <Static items={frame.static}>
        {(block) => (
          <Box key={block.key}>
            <FrameLines lines={block.lines} />
          </Box>
        )}
      </Static>
    ) : null;

  if (overlay.kind === "help") {
    const keys = watchKeys(state, {
      ...(props.stay !== undefined ? { stay: props.stay } : {}),
      ...(props.quitLabel ? { quitLabel: props.quitLabel } : {}),
    });
    return (
      <>
        {staticBlock}
        <HelpOverlay title="watch" keys={keys} />
      </>
    );
  }
  if (overlay.kind === "pager" && state.transcript !== undefined) {
    return (
      <>
        {staticBlock}
        <TranscriptPager
          lines={transcriptLines(sanitizeWatchState(state).transcript ?? "", columns - 2)}
          offset={overlay.offset}
          height={Math.max(3, rows - 3)}
        />
      </>
    );
  }
  return (
    <>
      {staticBlock}
      <FrameLines lines={frame.live} />
    </>
  );
}
