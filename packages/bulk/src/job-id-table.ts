import { resized } from "./text-blocks.js";

/** Bytes of a job id of bulk's own form (`bk` + 30 hex digits, see `deriveJobId`) once packed. */
const PACKED = 15;
const OWN_FORM = /^bk[0-9a-f]{30}$/;

/** Writes `id` (bulk's own form) as 15 bytes into `bytes` at `at`. */
function pack(id: string, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < PACKED; i++) bytes[at + i] = Number.parseInt(id.slice(2 + 2 * i, 4 + 2 * i), 16);
}

const DIGITS = Buffer.from("0123456789abcdef", "latin1");

/** Reads the job id packed at `at`, as one flat string (text grown by `+` would be a rope of pieces). */
function unpack(bytes: Uint8Array, at: number): string {
  const text = Buffer.allocUnsafe(2 + 2 * PACKED);
  text[0] = 0x62;
  text[1] = 0x6b;
  for (let i = 0; i < PACKED; i++) {
    const b = bytes[at + i] as number;
    text[2 + 2 * i] = DIGITS[b >> 4] as number;
    text[3 + 2 * i] = DIGITS[b & 15] as number;
  }
  return text.toString("latin1");
}

/**
 * Job ids by input position, 15 bytes each for ids of bulk's own form (`bk` + 30 hex digits; any
 * other id, from an older journal or a caller's store, is kept as text): 100,000 ids take 1.5 MB
 * instead of about 8 MB of strings.
 */
export class JobIdColumn {
  private bytes: Uint8Array;
  /** 0: no id, 1: packed, 2: in `other`. */
  private kind: Uint8Array;
  private readonly other = new Map<number, string>();

  /** A column for `size` positions to begin with (it grows as positions past them are set). */
  constructor(size = 0) {
    this.bytes = new Uint8Array(size * PACKED);
    this.kind = new Uint8Array(size);
  }

  /** Keeps `id` (or no id) at `index`. */
  set(index: number, id: string | undefined): void {
    if (index >= this.kind.length) {
      const size = Math.max(index + 1, 2 * this.kind.length, 16);
      this.kind = resized(this.kind, size);
      this.bytes = resized(this.bytes, size * PACKED);
    }
    this.other.delete(index);
    if (id === undefined) this.kind[index] = 0;
    else if (OWN_FORM.test(id)) {
      pack(id, this.bytes, index * PACKED);
      this.kind[index] = 1;
    } else {
      this.other.set(index, id);
      this.kind[index] = 2;
    }
  }

  /** The id at `index`, if any. */
  get(index: number): string | undefined {
    const kind = this.kind[index];
    if (kind === 1) return unpack(this.bytes, index * PACKED);
    return kind === 2 ? this.other.get(index) : undefined;
  }
}

/**
 * Job ids mapped to numbers (a position, a text number), growing without a string per id: ids
 * of bulk's own form are packed into 15 bytes and found through an open-addressing table of
 * entry numbers (the ids are hashes, so their first bytes spread evenly); any other id goes to a
 * plain `Map`. About 27 bytes an id.
 */
export class JobIdMap {
  private bytes = new Uint8Array(64 * PACKED);
  private values = new Uint32Array(64);
  private slots = new Uint32Array(128);
  private count = 0;
  private readonly other = new Map<string, number>();

  /** How many ids the map holds. */
  get size(): number {
    return this.count + this.other.size;
  }

  /** True when `id` was set. */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The number set for `id`. */
  get(id: string): number | undefined {
    if (!OWN_FORM.test(id)) return this.other.get(id);
    const entry = this.slots[this.find(id)] as number;
    return entry === 0 ? undefined : this.values[entry - 1];
  }

  /** Sets `id` to `value` (0 to 2³²−1). */
  set(id: string, value = 0): void {
    if (!OWN_FORM.test(id)) {
      this.other.set(id, value);
      return;
    }
    const slot = this.find(id);
    const found = this.slots[slot] as number;
    if (found !== 0) {
      this.values[found - 1] = value;
      return;
    }
    if (this.count === this.values.length) {
      this.bytes = resized(this.bytes, this.bytes.length * 2);
      this.values = resized(this.values, this.values.length * 2);
    }
    pack(id, this.bytes, this.count * PACKED);
    this.values[this.count] = value;
    this.count++;
    this.slots[slot] = this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private find(id: string): number {
    const mask = this.slots.length - 1;
    let slot = Number.parseInt(id.slice(2, 10), 16) & mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0 || this.equals(entry - 1, id)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private equals(entry: number, id: string): boolean {
    const at = entry * PACKED;
    for (let i = 0; i < PACKED; i++)
      if (this.bytes[at + i] !== Number.parseInt(id.slice(2 + 2 * i, 4 + 2 * i), 16)) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      const at = entry * PACKED;
      let slot =
        (((this.bytes[at] as number) << 24) |
          ((this.bytes[at + 1] as number) << 16) |
          ((this.bytes[at + 2] as number) << 8) |
          (this.bytes[at + 3] as number)) &
        mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}
