import { resized, TextBlocks } from "./text-blocks.js";
import type { BulkInput } from "./types.js";

/**
 * A run's recordings as the engine reads them: by position, with the key alone when that is all
 * it needs. An array of {@link BulkInput} is read through {@link asInputs}; an {@link InputList}
 * keeps 100,000 of them in a few MB.
 */
export interface Inputs extends Iterable<BulkInput> {
  readonly length: number;
  /** The input at `index` (a fresh object from an {@link InputList}). */
  at(index: number): BulkInput;
  /** The key of the input at `index`. */
  key(index: number): string;
}

/** How a row keeps its source: nothing, a path that is a folder + the key, a folder + the rest, a URL. */
const Source = { None: 0, FolderAndKey: 1, FolderAndRest: 2, Url: 3 } as const;
type Extras = Pick<BulkInput, "tracking" | "language" | "metadata">;

/**
 * Inputs kept packed, for runs of any size: each row's key and the rest of its path (or its URL)
 * are text in blocks ({@link TextBlocks}), its folder an index into the folders seen (a path that is a
 * folder followed by the key stores only the key), and a row's tracking, language and metadata,
 * when it has any, an object of its own. A manifest of 100,000 paths takes about 3 MB instead of
 * about 15 MB as objects.
 */
export class InputList implements Inputs {
  private readonly texts = new TextBlocks();
  private keyLengths = new Uint32Array(256);
  private folderOf = new Uint32Array(256);
  private sources = new Uint8Array(256);
  private readonly folders: string[] = [];
  private readonly folderIndex = new Map<string, number>();
  private readonly extras = new Map<number, Extras>();
  private count = 0;

  /** A list of `inputs`. */
  static of(inputs: Iterable<BulkInput>): InputList {
    const list = new InputList();
    for (const input of inputs) list.push(input);
    return list;
  }

  get length(): number {
    return this.count;
  }

  /** Appends `input` (only its fields are kept, not the object). */
  push(input: BulkInput): void {
    const i = this.count;
    if (i === this.keyLengths.length) this.grow();
    const { key, path, url, tracking, language, metadata } = input;
    let text = key;
    if (url !== undefined) {
      this.sources[i] = Source.Url;
      text = key + url;
    } else if (path !== undefined) {
      const folder = path.slice(0, path.length - key.length);
      if (path.endsWith(key) && /[\\/]$/.test(folder)) {
        this.sources[i] = Source.FolderAndKey;
        this.folderOf[i] = this.folder(folder);
      } else {
        const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
        this.sources[i] = Source.FolderAndRest;
        this.folderOf[i] = this.folder(path.slice(0, cut));
        text = key + path.slice(cut);
      }
    } else this.sources[i] = Source.None;
    this.keyLengths[i] = key.length;
    this.texts.push(text);
    if (tracking !== undefined || language !== undefined || metadata !== undefined)
      this.extras.set(i, {
        ...(tracking !== undefined ? { tracking } : {}),
        ...(language !== undefined ? { language } : {}),
        ...(metadata !== undefined ? { metadata } : {}),
      });
    this.count++;
  }

  key(index: number): string {
    return this.text(index).slice(0, this.keyLengths[index]);
  }

  at(index: number): BulkInput {
    const text = this.text(index);
    const key = text.slice(0, this.keyLengths[index]);
    const source = this.sources[index];
    const folder = this.folders[this.folderOf[index] as number] as string;
    const input: BulkInput =
      source === Source.Url
        ? { key, url: text.slice(key.length) }
        : source === Source.FolderAndKey
          ? { key, path: folder + key }
          : source === Source.FolderAndRest
            ? { key, path: folder + text.slice(key.length) }
            : { key };
    const extras = this.extras.get(index);
    return extras ? { ...input, ...extras } : input;
  }

  *[Symbol.iterator](): Iterator<BulkInput> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  private text(index: number): string {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no input at ${index} (${this.count} inputs)`);
    return this.texts.get(index);
  }

  private folder(text: string): number {
    let at = this.folderIndex.get(text);
    if (at === undefined) {
      at = this.folders.push(text) - 1;
      this.folderIndex.set(text, at);
    }
    return at;
  }

  private grow(): void {
    this.keyLengths = resized(this.keyLengths, 2 * this.keyLengths.length);
    this.folderOf = resized(this.folderOf, 2 * this.folderOf.length);
    this.sources = resized(this.sources, 2 * this.sources.length);
  }
}

/** An array of inputs read as {@link Inputs} (no copy). */
class ArrayInputs implements Inputs {
  constructor(private readonly list: readonly BulkInput[]) {}
  get length(): number {
    return this.list.length;
  }
  at(index: number): BulkInput {
    const input = this.list[index];
    if (!input) throw new RangeError(`no input at ${index} (${this.list.length} inputs)`);
    return input;
  }
  key(index: number): string {
    return this.at(index).key;
  }
  [Symbol.iterator](): Iterator<BulkInput> {
    return this.list[Symbol.iterator]();
  }
}

/** `inputs` as {@link Inputs}: an {@link InputList} as it is, an array read in place. */
export const asInputs = (inputs: readonly BulkInput[] | Inputs): Inputs =>
  Array.isArray(inputs) ? new ArrayInputs(inputs as readonly BulkInput[]) : (inputs as Inputs);
