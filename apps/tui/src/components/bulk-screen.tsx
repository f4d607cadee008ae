import { useInput } from "ink";
import { useBulk } from "../hooks/use-bulk.js";
import { useClock } from "../hooks/use-clock.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { BulkViewStore } from "../lib/bulk-store.js";
import { BulkView } from "./bulk-view.js";

/** Props of {@link BulkScreen}. */
export interface BulkScreenProps {
  store: BulkViewStore;
  /** `q`: stop starting work and exit; the jobs keep running. */
  onDetach: () => void;
  /** Ctrl+C: the same, exit code 130. */
  onInterrupt: () => void;
}

/** The interactive bulk view: {@link BulkView} redrawn on events and each second, with `q` and Ctrl+C. */
export function BulkScreen({ store, onDetach, onInterrupt }: BulkScreenProps) {
  const state = useBulk(store);
  const now = useClock(!state.summary);
  const { columns } = useTerminalSize();
  useInput((input, key) => {
    if (key.ctrl && input === "c") onInterrupt();
    else if (input === "q" || key.escape) onDetach();
  });
  return (
    <BulkView
      state={state}
      now={state.summary ? state.startedAt + state.summary.elapsedMs : Math.max(now, Date.now())}
      columns={columns}
      keys
    />
  );
}
