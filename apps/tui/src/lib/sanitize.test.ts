import { describe, expect, it } from "vitest";
import { makeJob } from "../test-utils/fake-api.js";
import { UNSAFE } from "../test-utils/hostile-api.js";
import { stateFor } from "../test-utils/watch-states.js";
import { truncate } from "./format.js";
import { sanitize, sanitizeDeep, sanitizeLines, sanitizeObject, sanitizeWatchState } from "./sanitize.js";

const ESC = "\u001b";

describe("sanitize", () => {
  it("shows C0, DEL and C1 controls as visible escapes", () => {
    expect(sanitize(`a${ESC}]0;pwned\u0007b`)).toBe("a\\x1b]0;pwned\\x07b");
    expect(sanitize("tab\there\nnew\rline\u0000\u007f")).toBe("tab\\there\\nnew\\rline\\x00\\x7f");
    expect(sanitize("\u009b31m \u009d0;t\u009c \u0085")).toBe("\\x9b31m \\x9d0;t\\x9c \\x85");
  });

  it("shows bidi overrides, isolates, marks and line separators", () => {
    const bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029";
    expect(sanitize(bidi)).toBe(
      "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029",
    );
  });

  it("keeps ordinary text, accents, CJK and emoji as they are (the same string)", () => {
    const text = "Réunion Q3 · 会議 🎙️ e\u0301 — 50%";
    expect(sanitize(text)).toBe(text);
  });

  it("is idempotent, and its output holds no control character", () => {
    const once = sanitize(`x${ESC}[2J\u202e\u009b`);
    expect(sanitize(once)).toBe(once);
    expect(UNSAFE.test(once)).toBe(false);
  });

  it("cut after sanitising, an escape sequence can never be left half open", () => {
    const title = `Meeting ${ESC}]52;c;cHduZWQ=\u0007 notes`;
    for (let width = 1; width < 30; width++) expect(truncate(sanitize(title), width)).not.toContain(ESC);
  });
});

describe("sanitizeLines", () => {
  it("keeps line feeds and tabs, turns CR LF into LF and shows a lone CR", () => {
    expect(sanitizeLines(`one\r\ntwo\tx\rthree${ESC}[31m\n`)).toBe("one\ntwo\tx\\rthree\\x1b[31m\n");
  });
});

describe("sanitizeDeep", () => {
  it("sanitises every string of a job (keys too) and keeps numbers and null", () => {
    const job = makeJob({ job_id: `id${ESC}`, error_message: null });
    (job as unknown as { metadata: unknown }).metadata = { [`k${ESC}`]: [`v\u202e`, 3] };
    const shown = sanitizeDeep(job) as unknown as Record<string, unknown>;
    expect(shown.job_id).toBe("id\\x1b");
    expect(shown.metadata).toEqual({ "k\\x1b": ["v\\u202e", 3] });
    expect(shown.error_message).toBeNull();
    expect((shown.input_metadata as { size_bytes: number }).size_bytes).toBe(1_543_210);
  });
});

describe("sanitizeWatchState", () => {
  it("shows the job, transcript, notice, connection detail and outcome inert; cached per state", () => {
    const state = stateFor([["FAILED", 0, { error_message: { message: `bad${ESC}]0;t\u0007` } }]], {
      transcript: `a${ESC}[2J\nb`,
      notice: `n${ESC}`,
      connection: { status: "retrying", failures: 1, detail: `503 ${ESC}]52;c;x\u0007` },
      outcome: { code: 1, reason: `FAILED: bad${ESC}` },
    });
    const shown = sanitizeWatchState(state);
    expect(shown.job?.error_message?.message).toBe("bad\\x1b]0;t\\x07");
    expect(shown.transcript).toBe("a\\x1b[2J\nb");
    expect(shown.notice).toBe("n\\x1b");
    expect(shown.connection.detail).toBe("503 \\x1b]52;c;x\\x07");
    expect(shown.outcome?.reason).toBe("FAILED: bad\\x1b");
    expect(sanitizeWatchState(state)).toBe(shown);
    expect(sanitizeWatchState(shown)).toBe(shown);
    expect(state.transcript).toBe(`a${ESC}[2J\nb`);
  });
});

describe("sanitizeObject", () => {
  it("is sanitizeDeep, remembered per object", () => {
    const job = makeJob({ job_id: `a${ESC}` });
    const shown = sanitizeObject(job);
    expect(shown).toEqual(sanitizeDeep(job));
    expect(sanitizeObject(job)).toBe(shown);
  });
});
