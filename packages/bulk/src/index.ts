/**
 * @slng/bulk — transcribe a whole folder or manifest with SLNG's Batch API (Node 20+):
 * bounded, resumable, exactly one job per recording. `runBulk` is the engine (an async iterable
 * of typed events); `collectInputs` turns files, folders and manifests into its inputs.
 */
export { AimdLimiter } from "./aimd.js";
export { type BulkRunHandle, runBulk } from "./engine.js";
export { BulkUsageError } from "./errors.js";
export { InputList, type Inputs } from "./input-list.js";
export { type CollectedInputs, type CollectOptions, collectInputs, isSupportedAudio, outputStem } from "./inputs.js";
export { canonicalJson, deriveJobId, hashFile } from "./job-id.js";
export { JOURNAL_FILE, openFileJournal, readJournal, replay } from "./journal.js";
export { BulkLockError, LOCK_FILE, type LockHolder, lockDir } from "./lock.js";
export {
  csvRows,
  type ManifestOptions,
  type ManifestRow,
  manifestInputs,
  manifestRows,
  parseCsv,
  parseManifest,
  readManifest,
} from "./manifest.js";
export type { BulkOptions } from "./options.js";
export { redactStoreUrl } from "./pg-errors.js";
export { openPgStore, type PgStoreOptions, readRunProgress } from "./pg-store.js";
export { type Action, decide, outputPath } from "./reconcile.js";
export { RecordTable } from "./record-table.js";
export { REPORT_FILE, type ReportHead, type ReportRow } from "./report.js";
export { OutputConflictError, saveAtomically } from "./save.js";
export {
  BulkStoreError,
  isShared,
  type JoinOptions,
  LeaseLostError,
  type RunProgress,
  type SharedStore,
} from "./shared-store.js";
export type {
  BulkEvent,
  BulkInput,
  BulkStore,
  BulkSummary,
  FailureCause,
  FatalKind,
  InputRecord,
  InputState,
  JournalEntry,
  RecordMap,
  RunConfig,
  StateCounts,
  WriteOrigin,
} from "./types.js";
