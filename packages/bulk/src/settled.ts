import { FormatLists, NO_LIST } from "./format-lists.js";
import type { Inputs } from "./input-list.js";
import { JobIdColumn } from "./job-id-table.js";
import { INPUT_STATES, type InputRecord, type InputState } from "./types.js";

const NONE = 255;

/**
 * What a one-process run keeps of each input once it is settled (`done` or `failed`, or found
 * so in the journal): only what the summary and `bulk-report.json` show, in arrays indexed by
 * the input's position (a state code, the job id as 15 bytes, two numbers, the saved formats as an index
 * into the few distinct lists seen, a failure's error and cause). Live inputs stay full records in
 * the run's items; a settled one leaves them, so the memory of a run grows by a few dozen bytes
 * per input instead of a whole record.
 */
export class SettledTable {
  private readonly states: Uint8Array;
  private readonly jobIds: JobIdColumn;
  private readonly audio: Float64Array;
  private readonly processing: Float64Array;
  private readonly saved: Uint8Array;
  private readonly lists = new FormatLists();
  /** A failed input's reason: its error, cause and whether an output path was in the way. */
  private readonly failures = new Map<number, Pick<InputRecord, "error" | "cause" | "outputConflict">>();

  constructor(readonly size: number) {
    this.states = new Uint8Array(size).fill(NONE);
    this.jobIds = new JobIdColumn(size);
    this.audio = new Float64Array(size).fill(Number.NaN);
    this.processing = new Float64Array(size).fill(Number.NaN);
    this.saved = new Uint8Array(size).fill(NO_LIST);
  }

  /** True when the input at `index` is kept here. */
  has(index: number): boolean {
    return this.states[index] !== NONE;
  }

  /** Keeps the report's view of `rec` (a settled input) at `index`. */
  put(index: number, rec: InputRecord): void {
    this.states[index] = INPUT_STATES.indexOf(rec.state);
    this.jobIds.set(index, rec.jobId);
    this.audio[index] = rec.audioSeconds ?? Number.NaN;
    this.processing[index] = rec.processingSeconds ?? Number.NaN;
    this.saved[index] = rec.saved ? this.lists.index(rec.saved) : NO_LIST;
    if (rec.state !== "failed") this.failures.delete(index);
    else
      this.failures.set(index, {
        ...(rec.error !== undefined ? { error: rec.error } : {}),
        ...(rec.cause !== undefined ? { cause: rec.cause } : {}),
        ...(rec.outputConflict !== undefined ? { outputConflict: rec.outputConflict } : {}),
      });
  }

  /** Forgets the input at `index` (it is live again). */
  drop(index: number): void {
    this.states[index] = NONE;
    this.jobIds.set(index, undefined);
    this.failures.delete(index);
  }

  /** The record of the input at `index` as the report needs it (key, state, job, numbers, outputs, error). */
  record(index: number, key: string): InputRecord {
    const rec: InputRecord = { key, state: INPUT_STATES[this.states[index] as number] as InputState };
    const jobId = this.jobIds.get(index);
    if (jobId !== undefined) rec.jobId = jobId;
    const audio = this.audio[index] as number;
    if (!Number.isNaN(audio)) rec.audioSeconds = audio;
    const processing = this.processing[index] as number;
    if (!Number.isNaN(processing)) rec.processingSeconds = processing;
    const saved = this.saved[index] as number;
    if (saved !== NO_LIST) rec.saved = this.lists.get(saved);
    const failure = this.failures.get(index);
    return failure ? { ...rec, ...failure } : rec;
  }
}

/**
 * The records of a one-process run in input order, made one at a time: a settled input from
 * `table`, a live one from `live` (by key), one not started yet as `pending`; an input given
 * twice under one key is reported once, at its first position.
 */
export function* recordsInOrder(
  inputs: Inputs,
  table: SettledTable | undefined,
  live: ReadonlyMap<string, { rec: InputRecord }>,
  firstOf: (index: number) => number,
): Generator<InputRecord> {
  for (let i = 0; i < inputs.length; i++) {
    if (firstOf(i) !== i) continue;
    const key = inputs.key(i);
    if (table?.has(i)) yield table.record(i, key);
    else yield live.get(key)?.rec ?? { key, state: "pending" };
  }
}
