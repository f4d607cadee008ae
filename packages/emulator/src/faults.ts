import { mulberry32 } from "./prng.js";

/**
 * A fault the emulator can inject: an error status, a dropped connection (`drop`: before the
 * request is handled; `lost`: after it took effect, so its answer is lost), or added latency.
 */
export type FaultKind = "500" | "503" | "429" | "drop" | "latency" | "lost";

/** Seeded random fault injection. */
export interface FaultOptions {
  /** 0..1, probability that an API request gets a fault. */
  rate: number;
  /** PRNG seed (deterministic sequence). */
  seed?: number;
  /** Kinds to draw from; default {@link DEFAULT_FAULT_KINDS} (`lost` only when listed). */
  kinds?: FaultKind[];
  /** Added latency for "latency" (default 1500 ms). */
  latencyMs?: number;
  /** `Retry-After` on 429/503 (default 1 s). */
  retryAfterSeconds?: number;
}

/** All fault kinds. */
export const FAULT_KINDS: readonly FaultKind[] = ["500", "503", "429", "drop", "latency", "lost"];

/**
 * Kinds drawn when none are listed: every kind but `lost`, whose applied-then-dropped requests
 * (a create that happened, unanswered) must be asked for explicitly.
 */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ["500", "503", "429", "drop", "latency"];

/** The header that forces a fault on one request. */
export const FAULT_HEADER = "x-slng-emulator-fault";

/** A fault decided for one request. */
export interface Fault {
  kind: FaultKind;
  latencyMs: number;
}

interface Forced {
  kind: FaultKind;
  remaining: number;
  match: string | RegExp | undefined;
  latencyMs: number | undefined;
}

/** Validates fault options; throws a RangeError naming the bad option. */
export function checkFaultOptions(o: FaultOptions): void {
  if (typeof o.rate !== "number" || !(o.rate >= 0 && o.rate <= 1))
    throw new RangeError("faults.rate must be a number from 0 to 1");
  for (const k of o.kinds ?? []) {
    if (!FAULT_KINDS.includes(k)) throw new RangeError(`Unknown fault kind '${k}'. Allowed: ${FAULT_KINDS.join(", ")}`);
  }
  if (o.kinds && o.kinds.length === 0) throw new RangeError("faults.kinds must not be empty");
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0)) throw new RangeError("faults.latencyMs must be ≥ 0");
  if (o.retryAfterSeconds !== undefined && !(o.retryAfterSeconds >= 0))
    throw new RangeError("faults.retryAfterSeconds must be ≥ 0");
}

/**
 * Decides which requests get a fault: first the per-request header, then faults forced with
 * `forceFault`, then the seeded random rate (API requests only).
 */
export class FaultInjector {
  readonly #options: FaultOptions | undefined;
  readonly #random: () => number;
  readonly #forced: Forced[] = [];

  constructor(options: FaultOptions | undefined) {
    if (options) checkFaultOptions(options);
    this.#options = options;
    this.#random = mulberry32(options?.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /** `Retry-After` value (seconds) for 429/503. */
  get retryAfterSeconds(): number {
    return this.#options?.retryAfterSeconds ?? 1;
  }

  /** Queues a forced fault for the next `count` matching requests. */
  force(kind: FaultKind, opts: { count?: number; match?: string | RegExp; latencyMs?: number } = {}): void {
    if (!FAULT_KINDS.includes(kind))
      throw new RangeError(`Unknown fault kind '${kind}'. Allowed: ${FAULT_KINDS.join(", ")}`);
    const count = opts.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError("count must be a positive integer");
    this.#forced.push({ kind, remaining: count, match: opts.match, latencyMs: opts.latencyMs });
  }

  /**
   * Parses the per-request header: `500 | 503 | 429 | drop | lost | latency:<ms>`. Returns a fault,
   * `undefined` when absent, or a string describing what is wrong with it.
   */
  static parseHeader(value: string | null): Fault | string | undefined {
    if (value === null) return undefined;
    const v = value.trim().toLowerCase();
    const latency = /^latency(?::(\d{1,6}))?$/.exec(v);
    if (latency) return { kind: "latency", latencyMs: latency[1] === undefined ? 1500 : Number(latency[1]) };
    if (v === "500" || v === "503" || v === "429" || v === "drop" || v === "lost") return { kind: v, latencyMs: 0 };
    return `${FAULT_HEADER} must be one of 500, 503, 429, drop, lost, latency:<ms>`;
  }

  /** The fault for a request to `pathname`, if any (header excluded). */
  decide(pathname: string, isApi: boolean): Fault | undefined {
    for (let i = 0; i < this.#forced.length; i++) {
      const f = this.#forced[i] as Forced;
      const matches =
        f.match === undefined
          ? isApi
          : typeof f.match === "string"
            ? pathname.includes(f.match)
            : f.match.test(pathname);
      if (!matches) continue;
      f.remaining--;
      if (f.remaining <= 0) this.#forced.splice(i, 1);
      return { kind: f.kind, latencyMs: f.latencyMs ?? this.#options?.latencyMs ?? 1500 };
    }
    const o = this.#options;
    if (!o || !isApi || o.rate <= 0) return undefined;
    if (this.#random() >= o.rate) return undefined;
    const kinds = o.kinds ?? DEFAULT_FAULT_KINDS;
    const kind = kinds[Math.floor(this.#random() * kinds.length)] ?? "500";
    return { kind, latencyMs: o.latencyMs ?? 1500 };
  }
}
