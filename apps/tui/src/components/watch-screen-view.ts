import type { WatchController, WatchState } from "../lib/watch-controller.js";
import type { WatchOverlay, WatchViewProps } from "./watch-frame.js";

/** What the watch screen adds to the controller's state: the window, the overlay and how the user is leaving. */
export interface WatchScreenUi {
  columns: number;
  rows: number;
  overlay: WatchOverlay;
  /** The user asked to leave (`q`) or interrupted (Ctrl+C). */
  quit: false | "quit" | "interrupt";
  interactive: boolean;
  stay?: boolean | undefined;
  useStatic?: boolean | undefined;
  quitLabel?: string | undefined;
}

/** Whether the job has reached DONE, FAILED or DELETED. */
export function isTerminal(state: WatchState): boolean {
  const status = state.job?.status;
  return status === "DONE" || status === "FAILED" || status === "DELETED";
}

/** Whether something on screen moves with the clock (a live timer, the spinner, a retry countdown). */
export function isMoving(state: WatchState): boolean {
  return state.outcome === undefined && (!isTerminal(state) || state.connection.status === "retrying");
}

/**
 * The watch view's props for this state at `now` — one function for the Ink screen, the
 * plain-text first frame and the tick patcher, so all three draw the same frame. Quitting or
 * interrupting an ended watch makes the last frame the final one (no key bar, the status line).
 */
export function watchScreenView(
  controller: Pick<WatchController, "eta">,
  state: WatchState,
  ui: WatchScreenUi,
  now: number,
): WatchViewProps {
  const closing = (ui.quit !== false && state.outcome !== undefined) || state.outcome?.code === 130;
  return {
    state,
    now,
    columns: ui.columns,
    rows: ui.rows,
    eta: controller.eta(now),
    overlay: closing ? { kind: "none" } : ui.overlay,
    interactive: ui.interactive && !closing,
    stay: ui.stay === true && !closing,
    useStatic: ui.useStatic === true,
    ...(ui.quitLabel ? { quitLabel: ui.quitLabel } : {}),
  };
}
