/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** Full-jitter back-off between an input's attempts: a random delay in [0, min(30 s, 1 s · 2^attempt)). */
export const backoff = (attempt: number): number => Math.random() * Math.min(30_000, 1000 * 2 ** attempt);

/** The message of an error, or its text. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs `use` with a short-lived signal that follows `signal` (the run's, shared by thousands of
 * requests), its one listener removed when `use` settles: a `Request` made with the run's signal
 * itself would leave a listener on it until a full garbage collection.
 */
export async function withSignalOf<T>(signal: AbortSignal, use: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const own = new AbortController();
  const follow = () => own.abort(signal.reason);
  if (signal.aborted) own.abort(signal.reason);
  else signal.addEventListener("abort", follow, { once: true });
  try {
    return await use(own.signal);
  } finally {
    signal.removeEventListener("abort", follow);
  }
}

/** Resolves once the function it adds to `waiters` is called (by whoever frees room), or when `signal` aborts. */
export function parked(waiters: (() => void)[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    waiters.push(done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** True when a process with `pid` runs on this host (one we may not signal counts as running). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
