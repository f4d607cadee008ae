import { join } from "node:path";
import { type Action, type BulkInput, decide, JOURNAL_FILE, readJournal } from "@slng/bulk";
import type { BulkRequest } from "./bulk-options.js";

/** What a run does for an input without any API request: it is saved, stays FAILED, or fails locally. */
const LOCAL: ReadonlySet<Action> = new Set<Action>(["skip", "keep-failed", "missing", "conflict"]);

/**
 * True when a run of `inputs` would make no API request: the journal in `--out` has each of them
 * saved (or failed for good), as the engine decides it. Then `bulk` skips its up-front key check,
 * so a rerun of a finished folder makes no request. False for a shared run or with no journal.
 */
export async function needsNoRequest(req: BulkRequest, inputs: Iterable<BulkInput>): Promise<boolean> {
  if (req.shared) return false;
  const { records } = await readJournal(join(req.outDir, JOURNAL_FILE)).catch(() => ({ records: new Map() }));
  if (records.size === 0) return false;
  for (const input of inputs) {
    const d = await decide(input, records.get(input.key), req.outDir, req.formats, req.retryFailed, req.overwrite);
    if (!LOCAL.has(d.action)) return false;
  }
  return true;
}
