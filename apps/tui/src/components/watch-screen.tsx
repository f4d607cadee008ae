import { type Key, useInput } from "ink";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { appClock } from "../hooks/use-clock.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import { eachKey } from "../lib/key-burst.js";
import { sanitizeWatchState } from "../lib/sanitize.js";
import { patchLines } from "../lib/tick-patch.js";
import type { WatchController } from "../lib/watch-controller.js";
import { renderLine } from "./frame-line.js";
import { maxOffset, transcriptLines } from "./transcript-pager.js";
import { type WatchFrame, type WatchOverlay, type WatchViewProps, watchFrame } from "./watch-frame.js";
import { isMoving, isTerminal, watchScreenView } from "./watch-screen-view.js";
import { WatchView } from "./watch-view.js";

/** Where the screen may rewrite its ticking lines itself (the terminal Ink draws on). */
export interface TickPatchTarget {
  write(chunk: string): unknown;
  color: boolean;
}

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
  /**
   * Rewrite the lines that change on a clock tick (timers, spinner) straight to this terminal
   * instead of re-rendering with React — only when the screen is all Ink draws.
   */
  patchTicks?: TickPatchTarget;
}

/** What the last full render put on screen: the live lines, and what a tick may not change. */
interface Drawn {
  lines: string[];
  staticBlocks: number;
  columns: number;
  at: number;
}

/** Renders after which Ink may still write its frame (it throttles to 30 fps): a tick waits this long. */
const INK_THROTTLE_MS = 40;

function drawnOf(frame: WatchFrame, columns: number, color: boolean): Drawn {
  return {
    lines: frame.live.map((l) => renderLine(l, color)),
    staticBlocks: frame.static.length,
    columns,
    at: performance.now(),
  };
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
  const [, setTicks] = useState(0);
  const job = state.job;
  const terminal = isTerminal(state);
  const moving = isMoving(state);
  const ui = {
    columns,
    rows,
    overlay,
    quit,
    interactive: props.interactive,
    stay: props.stay,
    useStatic: props.useStatic,
    quitLabel: props.quitLabel,
  };
  const viewAt = (now: number): WatchViewProps => watchScreenView(controller, state, ui, now);
  const view = viewAt(Date.now());
  const frame = watchFrame(view);
  const color = props.patchTicks?.color ?? true;
  const latest = useRef({ viewAt, drawn: drawnOf(frame, columns, color) });
  latest.current = { viewAt, drawn: drawnOf(frame, columns, color) };

  useEffect(() => {
    if (!moving) return;
    let retry: NodeJS.Timeout | undefined;
    const tick = (now: number) => {
      const target = props.patchTicks;
      const { viewAt, drawn } = latest.current;
      const next = viewAt(now);
      if (next.overlay?.kind === "help" || next.overlay?.kind === "pager") return;
      if (!target) return setTicks((n) => n + 1);
      if (performance.now() - drawn.at < INK_THROTTLE_MS) {
        retry ??= setTimeout(() => {
          retry = undefined;
          tick(Date.now());
        }, INK_THROTTLE_MS);
        return;
      }
      const nextFrame = watchFrame(next);
      const lines = nextFrame.live.map((l) => renderLine(l, target.color));
      const patch =
        nextFrame.static.length === drawn.staticBlocks && drawn.columns === next.columns && lines.length < next.rows
          ? patchLines(drawn.lines, lines)
          : undefined;
      if (patch === undefined) return setTicks((n) => n + 1);
      if (patch === "") return;
      target.write(patch);
      latest.current.drawn = { ...drawn, lines };
    };
    const unsubscribe = appClock.subscribe(tick);
    return () => {
      unsubscribe();
      if (retry) clearTimeout(retry);
    };
  }, [moving, props.patchTicks]);

  useEffect(() => {
    if (state.outcome && (!props.stay || quit)) props.onExit(quit === "interrupt");
  }, [state.outcome, props.stay, quit, props.onExit]);

  useEffect(() => {
    if (!state.notice) return;
    const timer = setTimeout(() => controller.setNotice(undefined), 5000);
    return () => clearTimeout(timer);
  }, [state.notice, controller]);

  const shownTranscript = sanitizeWatchState(state).transcript;
  const pagerLines = shownTranscript !== undefined ? transcriptLines(shownTranscript, columns - 2).length : 0;
  const pageHeight = Math.max(3, rows - 3);

  const onKey = (input: string, key: Key) => {
    const overlay = overlayRef.current;
    if (key.ctrl && input === "c") {
      controller.stop("interrupt");
      setQuit("interrupt");
      return;
    }
    const quitNow = () => {
      if (!state.outcome) controller.stop("quit");
      setQuit("quit");
    };
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
      if (input === "q") return quitNow();
      if (key.escape || input === "t") return setOverlay({ kind: "none" });
      return;
    }
    if (overlay.kind === "help") {
      if (input === "q") return quitNow();
      if (key.escape || input === "?") setOverlay({ kind: "none" });
      return;
    }
    if (input === "q" || key.escape) return quitNow();
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

  return <WatchView {...view} frame={frame} />;
}
