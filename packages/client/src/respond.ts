/** What `.withResponse()` gives: the data, the `Response` it came from (body already read) and its request id. */
export interface WithResponse<T> {
  data: T;
  /** The final HTTP response of the call (for `transcribe`, the download; for a wait, the last poll). */
  response: Response;
  /** The server's `x-request-id` (or storage's `x-amz-request-id`), when sent. */
  requestId: string | undefined;
}

/** An internal result: the data and the response it came from. */
export interface Answer<T> {
  data: T;
  response: Response;
}

/**
 * The promise every call returns: awaits to the data, and `.withResponse()` gives
 * `{ data, response, requestId }` (the convention of the OpenAI and Anthropic SDKs).
 */
export class SlngPromise<T> extends Promise<T> {
  #raw: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(raw: Promise<Answer<T>>) {
    super((resolve) => resolve(undefined as T));
    this.#raw = raw.then((a) => ({
      ...a,
      requestId: a.response.headers.get("x-request-id") ?? a.response.headers.get("x-amz-request-id") ?? undefined,
    }));
  }

  static override get [Symbol.species]() {
    return Promise;
  }

  /** The data with the response it came from and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#raw;
  }

  #value(): Promise<T> {
    this.#data ??= this.#raw.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass: awaiting it gives the data
  override then: Promise<T>["then"] = (ok, fail) => this.#value().then(ok, fail);

  override catch: Promise<T>["catch"] = (fail) => this.#value().catch(fail);

  override finally: Promise<T>["finally"] = (f) => this.#value().finally(f);
}

/** Runs `fn` (its throws become rejections) as an {@link SlngPromise}. */
export const promised = <T>(fn: () => Promise<Answer<T>>): SlngPromise<T> => new SlngPromise((async () => fn())());
