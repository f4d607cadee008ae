import { type Key, useInput } from "ink";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useClock } from "../hooks/use-clock.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import { eachKey } from "../lib/key-burst.js";
import type { WatchController } from "../lib/watch-controller.js";
import { maxOffset, wrapLines } from "./transcript-pager.js";
import { type WatchOverlay, WatchView } from "./watch-view.js";

/** Props of {@link WatchScreen}. */
export interface WatchScreenProps {
  controller: WatchController;
  /** Keys are read (stdin is a TTY with raw mode). */
  interactive: boolean;
  stay?: boolean;
  useStatic?: boolean;
  quitLabel?: string;
  /** Called when the screen is done: the job ended (without `stay`) or the user quit (`true`: with Ctrl+C). */
  onExit: (interrupted?: boolean) => void;
  /** Saves all outputs; returns a message for the notice line. */
  onSave?: () => Promise<string>;
}

/**
 * The watch view wired to a {@link WatchController} and the keyboard. Re-renders only when the
 * controller publishes a change or, while something on screen is moving, on the shared clock.
 */
export function WatchScreen(props: WatchScreenProps) {
  const { controller } = props;
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const { columns, rows } = useTerminalSize();
  const [overlayState, setOverlayState] = useState<WatchOverlay>({ kind: "none" });
  // Keys that arrive in one burst ("t?" typed fast) are handled before React re-renders: read the latest overlay from a ref.
  const overlayRef = useRef<WatchOverlay>(overlayState);
  const setOverlay = (next: WatchOverlay) => {
    overlayRef.current = next;
    setOverlayState(next);
  };
  const overlay = overlayState;
  const [quit, setQuit] = useState<false | "quit" | "interrupt">(false);
  const job = state.job;
  const terminal = job !== undefined && (job.status === "DONE" || job.status === "FAILED" || job.status === "DELETED");
  const moving = state.outcome === undefined && (!terminal || state.connection.status === "retrying");
  const now = useClock(moving);
  // Quitting or interrupting an ended watch: the last frame is the final one (no key bar, the status line).
  const closing = (quit !== false && state.outcome !== undefined) || state.outcome?.code === 130;

  useEffect(() => {
    if (state.outcome && (!props.stay || quit)) props.onExit(quit === "interrupt");
  }, [state.outcome, props.stay, quit, props.onExit]);

  useEffect(() => {
    if (!state.notice) return;
    const timer = setTimeout(() => controller.setNotice(undefined), 5000);
    return () => clearTimeout(timer);
  }, [state.notice, controller]);

  const pagerLines = state.transcript !== undefined ? wrapLines(state.transcript, columns - 2).length : 0;
  const pageHeight = Math.max(3, rows - 3);

  const onKey = (input: string, key: Key) => {
    const overlay = overlayRef.current;
    if (key.ctrl && input === "c") {
      controller.stop("interrupt");
      setQuit("interrupt");
      return;
    }
    if (overlay.kind === "confirm-delete") {
      setOverlay({ kind: "none" });
      if (input === "y" || input === "Y") void controller.deleteJob();
      else controller.setNotice("Delete cancelled.");
      return;
    }
    if (overlay.kind === "pager") {
      const max = maxOffset(pagerLines, pageHeight);
      const move = (to: number) => setOverlay({ kind: "pager", offset: Math.max(0, Math.min(max, to)) });
      if (key.downArrow || input === "j") return move(overlay.offset + 1);
      if (key.upArrow || input === "k") return move(overlay.offset - 1);
      if (key.pageDown || input === " ") return move(overlay.offset + pageHeight);
      if (key.pageUp || input === "b") return move(overlay.offset - pageHeight);
      if (input === "g") return move(0);
      if (input === "G") return move(max);
      if (key.escape || input === "t" || input === "q") return setOverlay({ kind: "none" });
      return;
    }
    if (overlay.kind === "help") {
      if (key.escape || input === "?" || input === "q") setOverlay({ kind: "none" });
      return;
    }
    if (input === "q" || key.escape) {
      if (!state.outcome) controller.stop("quit");
      setQuit("quit");
      return;
    }
    if (input === "?") return setOverlay({ kind: "help" });
    if (input === "r" && !terminal) return controller.refresh();
    if (input === "t" && state.transcript !== undefined) return setOverlay({ kind: "pager", offset: 0 });
    if (input === "s" && state.outputs && state.outputs.length > 0 && props.onSave) {
      controller.setNotice("Saving outputs…");
      void props.onSave().then((message) => controller.setNotice(message));
      return;
    }
    if (input === "d" && job && (job.status === "DONE" || job.status === "FAILED")) {
      setOverlay({ kind: "confirm-delete" });
    }
  };
  useInput((input, key) => eachKey(input, key, onKey), { isActive: props.interactive });

  return (
    <WatchView
      state={state}
      now={moving ? now : Date.now()}
      columns={columns}
      rows={rows}
      eta={controller.eta(now)}
      overlay={closing ? { kind: "none" } : overlay}
      interactive={props.interactive && !closing}
      stay={props.stay === true && !closing}
      useStatic={props.useStatic === true}
      {...(props.quitLabel ? { quitLabel: props.quitLabel } : {})}
    />
  );
}
