/**
 * @slng/emulator — a local, spec-faithful emulator of SLNG's Batch speech-to-text API, for
 * demos, tests and CI. It does not recognise speech: transcripts are synthetic and deterministic.
 */

export type { CliConfig as EmulatorCliConfig } from "./cli-args.js";
export {
  maskKey,
  parseCli as parseEmulatorArgs,
  USAGE as EMULATOR_USAGE,
  UsageError as EmulatorUsageError,
} from "./cli-args.js";
export type { PreparedDataDir } from "./data-dir.js";
export { DATA_DIR_MARKER, DataDirError } from "./data-dir.js";
export type { Emulator, EmulatorOptions } from "./emulator.js";
export { createEmulator, DEFAULT_API_KEY } from "./emulator.js";
export type { FaultKind, FaultOptions } from "./faults.js";
export { DEFAULT_FAULT_KINDS, FAULT_HEADER, FAULT_KINDS } from "./faults.js";
export type { SampleWavOptions } from "./sample-wav.js";
export { createSampleWav } from "./sample-wav.js";
