import type { OutputFormat } from "@slng/types";
import { FormatLists, NO_LIST } from "./format-lists.js";
import { JobIdColumn } from "./job-id-table.js";
import { KeyIndex } from "./key-index.js";
import { resized, TextBlocks } from "./text-blocks.js";
import { INPUT_STATES, type InputRecord, type InputState, type JournalEntry, type RecordMap } from "./types.js";

const NUMBERS = ["size", "mtimeMs", "attempt", "createdAt", "audioSeconds", "processingSeconds"] as const;
type NumberField = (typeof NUMBERS)[number];
const GONE = 255;
const SHA256 = /^[0-9a-f]{64}$/;

/** A field that has no column of its own (an error, its cause, anything unusual) is kept per row as it is. */
type Rest = Record<string, unknown>;

/**
 * Records by key, kept in columns: a state code, six numbers, the SHA-256 as 32 bytes, the job
 * id as 15 bytes, `submittedAt` in shared text blocks, the saved and claimed formats as indexes
 * into the few distinct lists, and only what is unusual (an error, its cause, a field of another
 * form) as an object per row. A journal of 100,000 finished inputs is replayed into about 12 MB,
 * most of it outside the JavaScript heap, instead of 100,000 records of several hundred bytes.
 * Entries are merged field by field, as the journal's replay merges them.
 */
export class RecordTable implements RecordMap {
  private readonly keys = new TextBlocks();
  private readonly index = new KeyIndex((row) => this.keys.get(row));
  private states = new Uint8Array(16);
  private numbers = new Float64Array(16 * NUMBERS.length);
  private sha = new Uint8Array(16 * 32);
  private hasSha = new Uint8Array(16);
  private readonly jobIds = new JobIdColumn();
  private readonly submitted = new TextBlocks();
  private submittedOf = new Uint32Array(16);
  private lists = new Uint8Array(32);
  private conflict = new Uint8Array(16);
  private readonly formatLists = new FormatLists();
  private readonly rest = new Map<number, Rest>();
  private live = 0;

  get size(): number {
    return this.live;
  }

  has(key: string): boolean {
    const row = this.index.find(key);
    return row >= 0 && this.states[row] !== GONE;
  }

  get(key: string): InputRecord | undefined {
    const row = this.index.find(key);
    return row >= 0 && this.states[row] !== GONE ? this.record(row) : undefined;
  }

  delete(key: string): boolean {
    const row = this.index.find(key);
    if (row < 0 || this.states[row] === GONE) return false;
    this.clear(row);
    this.states[row] = GONE;
    this.live--;
    return true;
  }

  *values(): IterableIterator<InputRecord> {
    for (let row = 0; row < this.keys.length; row++) if (this.states[row] !== GONE) yield this.record(row);
  }

  /** Merges `entry` into its key's record (a new key starts as `pending`). */
  merge(entry: JournalEntry): void {
    let row = this.index.find(entry.key);
    if (row < 0) row = this.add(entry.key);
    if (this.states[row] === GONE) {
      this.states[row] = 0;
      this.live++;
    }
    for (const [field, value] of Object.entries(entry)) if (field !== "key") this.put(row, field, value);
  }

  private put(row: number, field: string, value: unknown): void {
    const rest = this.rest.get(row);
    if (rest && field in rest) delete rest[field];
    if (field === "state" && INPUT_STATES.includes(value as InputState))
      this.states[row] = INPUT_STATES.indexOf(value as InputState);
    else if ((NUMBERS as readonly string[]).includes(field) && typeof value === "number" && !Number.isNaN(value))
      this.numbers[row * NUMBERS.length + NUMBERS.indexOf(field as NumberField)] = value;
    else if (field === "sha256" && typeof value === "string" && SHA256.test(value)) {
      for (let i = 0; i < 32; i++) this.sha[row * 32 + i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16);
      this.hasSha[row] = 1;
    } else if (field === "jobId" && typeof value === "string") this.jobIds.set(row, value);
    else if (field === "submittedAt" && typeof value === "string")
      this.submittedOf[row] = this.submitted.push(value) + 1;
    else if ((field === "saved" || field === "claimed") && isFormatList(value))
      this.lists[row * 2 + (field === "saved" ? 0 : 1)] = this.formatLists.index(value);
    else if (field === "outputConflict" && typeof value === "boolean") this.conflict[row] = value ? 2 : 1;
    else {
      this.clearField(row, field);
      if (value === undefined) return;
      if (rest) rest[field] = value;
      else this.rest.set(row, { [field]: value });
    }
  }

  private record(row: number): InputRecord {
    const rec: Record<string, unknown> = { key: this.keys.get(row), state: INPUT_STATES[this.states[row] as number] };
    const at = row * NUMBERS.length;
    const number = (field: NumberField) => {
      const v = this.numbers[at + NUMBERS.indexOf(field)] as number;
      if (!Number.isNaN(v)) rec[field] = v;
    };
    number("size");
    number("mtimeMs");
    if (this.hasSha[row]) rec.sha256 = Buffer.from(this.sha.subarray(row * 32, row * 32 + 32)).toString("hex");
    number("attempt");
    const jobId = this.jobIds.get(row);
    if (jobId !== undefined) rec.jobId = jobId;
    number("createdAt");
    const submitted = this.submittedOf[row] as number;
    if (submitted) rec.submittedAt = this.submitted.get(submitted - 1);
    const saved = this.lists[row * 2] as number;
    if (saved !== NO_LIST) rec.saved = this.formatLists.get(saved);
    const claimed = this.lists[row * 2 + 1] as number;
    if (claimed !== NO_LIST) rec.claimed = this.formatLists.get(claimed);
    if (this.conflict[row]) rec.outputConflict = this.conflict[row] === 2;
    number("audioSeconds");
    number("processingSeconds");
    return { ...rec, ...this.rest.get(row) } as unknown as InputRecord;
  }

  /** Empties a row's columns (its key stays). */
  private clear(row: number): void {
    this.numbers.fill(Number.NaN, row * NUMBERS.length, (row + 1) * NUMBERS.length);
    this.hasSha[row] = 0;
    this.jobIds.set(row, undefined);
    this.submittedOf[row] = 0;
    this.lists[row * 2] = NO_LIST;
    this.lists[row * 2 + 1] = NO_LIST;
    this.conflict[row] = 0;
    this.rest.delete(row);
  }

  /** Empties the column of `field` (its value goes to the row's rest). */
  private clearField(row: number, field: string): void {
    const n = (NUMBERS as readonly string[]).indexOf(field);
    if (n >= 0) this.numbers[row * NUMBERS.length + n] = Number.NaN;
    else if (field === "sha256") this.hasSha[row] = 0;
    else if (field === "jobId") this.jobIds.set(row, undefined);
    else if (field === "submittedAt") this.submittedOf[row] = 0;
    else if (field === "saved" || field === "claimed") this.lists[row * 2 + (field === "saved" ? 0 : 1)] = NO_LIST;
    else if (field === "outputConflict") this.conflict[row] = 0;
  }

  private add(key: string): number {
    const row = this.keys.push(key);
    if (row >= this.states.length) this.grow();
    this.states[row] = 0;
    this.live++;
    this.clear(row);
    this.index.add(row);
    return row;
  }

  private grow(): void {
    const rows = this.states.length * 2;
    this.states = resized(this.states, rows);
    this.numbers = resized(this.numbers, rows * NUMBERS.length);
    this.sha = resized(this.sha, rows * 32);
    this.hasSha = resized(this.hasSha, rows);
    this.submittedOf = resized(this.submittedOf, rows);
    this.lists = resized(this.lists, rows * 2);
    this.conflict = resized(this.conflict, rows);
  }
}

const isFormatList = (v: unknown): v is OutputFormat[] => Array.isArray(v) && v.every((f) => typeof f === "string");
