import { useSyncExternalStore } from "react";
import type { BulkViewState } from "../lib/bulk-model.js";
import type { BulkViewStore } from "../lib/bulk-store.js";

/** The bulk view's state, re-rendering when the store says it changed. */
export function useBulk(store: BulkViewStore): BulkViewState {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store.state;
}
