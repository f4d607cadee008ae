/**
 * The one sanitiser for text shown on a terminal. Every string that comes from the API, a
 * manifest or a file name goes through it before it is measured, cut to width or written, so
 * no byte of it can drive the terminal: C0 controls, DEL, C1 controls (U+0080–U+009F, among
 * them the 8-bit CSI and OSC) and the bidirectional overrides, embeddings, isolates and marks
 * are shown as visible escapes (`\x1b`, `\n`, `\u202e`), which are plain ASCII. The result
 * holds no character the sanitiser would change, so sanitising twice changes nothing.
 *
 * `--json` output and bytes written to a pipe or a file (`transcript -o`) do not go through it:
 * they are data, written as served.
 */

import type { WatchState } from "./watch-controller.js";

const NAMED: Record<number, string> = { 9: "\\t", 10: "\\n", 13: "\\r" };

/** Bidi controls and line/paragraph separators: they reorder or break what follows them. */
function isFormatControl(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Whether a terminal could act on (or reorder text around) this UTF-16 code unit. */
function isUnsafe(code: number, keepLines: boolean): boolean {
  if (code < 0x20) return !(keepLines && (code === 0x0a || code === 0x09));
  if (code < 0x7f) return false;
  if (code <= 0x9f) return true;
  return code >= 0x061c && isFormatControl(code);
}

const PLACEHOLDERS = new Map<number, string>();

/** The visible stand-in of an unsafe character: `\n`, `\r`, `\t`, `\x1b`, `\u202e`. */
function placeholder(code: number): string {
  let text = PLACEHOLDERS.get(code);
  if (text === undefined) {
    const hex = code.toString(16);
    text = NAMED[code] ?? (code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`);
    PLACEHOLDERS.set(code, text);
  }
  return text;
}

function escapeUnsafe(text: string, keepLines: boolean): string {
  let i = 0;
  while (i < text.length && !isUnsafe(text.charCodeAt(i), keepLines)) i++;
  if (i === text.length) return text;
  const parts: string[] = [];
  let from = 0;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isUnsafe(code, keepLines)) continue;
    parts.push(text.slice(from, i), placeholder(code));
    from = i + 1;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

/**
 * `text` safe to show on one line of a terminal: every control character (newlines and tabs
 * too) and every bidi control shown as a visible escape. Apply before cutting to width.
 */
export function sanitize(text: string): string {
  return escapeUnsafe(text, false);
}

/**
 * `text` safe to show on a terminal as several lines (a transcript, an error message): as
 * {@link sanitize}, but line feeds and tabs are kept (a CR LF becomes a line feed).
 */
export function sanitizeLines(text: string): string {
  return escapeUnsafe(text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text, true);
}

/**
 * A copy of `value` with every string in it (keys and values of plain objects, array items,
 * at any depth) passed through {@link sanitize}; numbers, booleans, null and objects of other
 * classes are kept. For API objects (a job, a files list, a bulk event) about to be shown.
 */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === "string") return sanitize(value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitizeDeep(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[sanitize(k)] = sanitizeDeep(v);
  return out as T;
}

const shownObjects = new WeakMap<object, unknown>();

/**
 * {@link sanitizeDeep} of an object nobody changes afterwards (an API answer such as a job),
 * remembered per object: a view redrawn with the same jobs does not sanitise them again.
 */
export function sanitizeObject<T extends object>(value: T): T {
  const cached = shownObjects.get(value) as T | undefined;
  if (cached) return cached;
  const shown = sanitizeDeep(value);
  shownObjects.set(value, shown);
  return shown;
}

const shownStates = new WeakMap<WatchState, WatchState>();

/**
 * The watch state as the screens and lines show it: the job, the outputs, the transcript (its
 * lines kept), the notice, the connection detail, the outcome's reason and the job id with
 * control characters made visible. Cached per state object: a clock tick redraws the same state without redoing it.
 */
export function sanitizeWatchState(state: WatchState): WatchState {
  const cached = shownStates.get(state);
  if (cached) return cached;
  const c = state.connection;
  const shown: WatchState = {
    ...state,
    jobId: sanitize(state.jobId),
    ...(state.job ? { job: sanitizeDeep(state.job) } : {}),
    ...(state.outputs ? { outputs: sanitizeDeep(state.outputs) } : {}),
    ...(state.transcript !== undefined ? { transcript: sanitizeLines(state.transcript) } : {}),
    ...(state.transcriptError !== undefined ? { transcriptError: sanitize(state.transcriptError) } : {}),
    ...(state.notice !== undefined ? { notice: sanitize(state.notice) } : {}),
    ...(state.outcome ? { outcome: { ...state.outcome, reason: sanitize(state.outcome.reason) } } : {}),
    connection: c.detail !== undefined ? { ...c, detail: sanitize(c.detail) } : c,
  };
  shownStates.set(state, shown);
  shownStates.set(shown, shown);
  return shown;
}
