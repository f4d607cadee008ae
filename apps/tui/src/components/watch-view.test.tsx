import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { WatchState } from "../lib/watch-controller.js";
import { doneState, iso, started, stateFor, T0 } from "../test-utils/watch-states.js";
import { WatchView, type WatchViewProps, watchKeys } from "./watch-view.js";

function frame(props: Partial<WatchViewProps> & { state: WatchState }) {
  const { lastFrame, unmount } = render(<WatchView now={T0 + 10_000} columns={100} rows={30} interactive {...props} />);
  const out = lastFrame() ?? "";
  unmount();
  return out;
}

describe("WatchView", () => {
  it("shows a loading line before the first snapshot", () => {
    const out = frame({
      state: { jobId: "job123", timeline: { stages: [] }, connection: { status: "connecting", failures: 0 } },
    });
    expect(out).toContain("job123");
    expect(out).toContain("loading job…");
  });

  it("QUEUED: header, metadata, live timer on the current stage, pending stages, elapsed", () => {
    const out = frame({ state: stateFor([["QUEUED", T0 + 100]]) });
    expect(out).toContain("job123 Weekly sync · ref-7");
    expect(out).toContain("slng/speechmatics/batch:15.0.0");
    expect(out).toMatch(/wav · 1\.5 MiB · 5 min 12 s of audio · lang en · submitted 12:00:00 UTC/);
    expect(out).toMatch(/[◐◓◑◒] QUEUED\s+0:10/);
    expect(out).toMatch(/· IN_PROGRESS/);
    expect(out).toMatch(/· DONE/);
    expect(out).toContain("Elapsed 0:10");
    expect(out).not.toContain("ETA");
  });

  it.each([
    ["IN_PROGRESS", /✓ QUEUED\s+2\.0s\n[◐◓◑◒] IN_PROGRESS\s+0:08/],
    ["DECODING", /✓ IN_PROGRESS\s+3\.0s\n[◐◓◑◒] DECODING\s+0:05/],
    ["POST_PROCESSING", /✓ DECODING\s+2\.0s\n[◐◓◑◒] POST_PROCESSING\s+0:03/],
  ])("%s: finished stages with durations, live timer on the current one", (status, pattern) => {
    const steps: [string, number, Record<string, unknown>?][] = [
      ["QUEUED", T0 + 100],
      ["IN_PROGRESS", T0 + 2100, started],
      ["DECODING", T0 + 5000, started],
      ["POST_PROCESSING", T0 + 7000, started],
    ];
    const upto = steps.findIndex((s) => s[0] === status);
    const out = frame({ state: stateFor(steps.slice(0, upto + 1)) });
    expect(out).toMatch(pattern);
  });

  it("shows the ETA only with data, labelled as an estimate", () => {
    const state = stateFor([
      ["QUEUED", T0],
      ["IN_PROGRESS", T0 + 2100, started],
    ]);
    expect(frame({ state })).not.toContain("ETA");
    const out = frame({ state, eta: { finishAt: T0 + 40_000, basedOn: 5, fromNow: false } });
    expect(out).toContain("ETA ~0:30 left (estimate from 5 recent jobs)");
    const late = frame({ state, eta: { finishAt: T0 + 5_000, basedOn: 1, fromNow: false } });
    expect(late).toContain("ETA any moment now (estimate from 1 recent job)");
  });

  it("shows the connection line while the API is unreachable", () => {
    const state = stateFor([["QUEUED", T0]], {
      connection: {
        status: "retrying",
        since: T0 + 2000,
        failures: 3,
        detail: "503 Service Unavailable",
        retryAt: T0 + 14_000,
      },
    });
    const out = frame({ state });
    expect(out).toContain("⚠ API error for 8.0s (503 Service Unavailable) — retrying in 4 s…");
  });

  it("DONE: took, outputs, first transcript lines, key bar with t/s/d", () => {
    const state = doneState();
    const out = frame({ state, stay: true });
    expect(out).toMatch(/✓ DONE/);
    expect(out).toContain("Took 0:09");
    expect(out).toContain("Outputs json, txt");
    expect(out).toContain("│ Line 1 of the transcript.");
    expect(out).toMatch(/└ \d+ more lines — t to read all/);
    expect(out).toMatch(/q quit\s+t transcript\s+s save outputs\s+d delete\s+\? help/);
    expect(out).not.toContain("r refresh");
    expect(out).not.toContain("· POST_PROCESSING");
  });

  it("FAILED: shows the error", () => {
    const state = stateFor([
      ["QUEUED", T0],
      ["FAILED", T0 + 3000, { completed_at: iso(T0 + 3000), error_message: { message: "Could not decode audio" } }],
    ]);
    const out = frame({ state });
    expect(out).toMatch(/✗ FAILED/);
    expect(out).toContain("Error: Could not decode audio");
  });

  it("final frame (no --stay): no key bar, the outcome and exit code", () => {
    const state = stateFor(
      [
        ["QUEUED", T0],
        ["FAILED", T0 + 3000, { error_message: { message: "boom" } }],
      ],
      {
        outcome: { code: 1, reason: "FAILED: boom" },
      },
    );
    const out = frame({ state });
    expect(out).toContain("✗ FAILED: boom · exit code 1");
    expect(out).not.toContain("? help");
  });

  it("without a TTY there is no key bar", () => {
    expect(frame({ state: stateFor([["QUEUED", T0]]), interactive: false })).not.toContain("? help");
  });

  it("lays out narrow terminals without overflowing", () => {
    const state = stateFor(
      [
        ["QUEUED", T0],
        ["IN_PROGRESS", T0 + 2100, started],
      ],
      {
        connection: { status: "retrying", since: T0, failures: 1, detail: "connection reset", retryAt: T0 + 12_000 },
      },
    );
    const out = frame({ state, columns: 40, rows: 24 });
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(40);
    expect(out.split("\n").length).toBeLessThan(24);
  });

  it("keeps the live frame shorter than the window, cutting the transcript preview", () => {
    const transcript = Array.from({ length: 50 }, (_, i) => `Sentence number ${i}.`).join("\n");
    const state = stateFor(
      [
        ["QUEUED", T0],
        ["DONE", T0 + 3000, { completed_at: iso(T0 + 3000) }],
      ],
      { transcript },
    );
    for (const rows of [12, 24, 50]) {
      const out = frame({ state, rows });
      expect(out.split("\n").length).toBeLessThan(rows);
    }
  });

  it("help overlay lists the keys that work now", () => {
    const out = frame({ state: stateFor([["QUEUED", T0]]), overlay: { kind: "help" } });
    expect(out).toContain("watch — keys");
    expect(out).toContain("quit (job keeps running)");
    expect(out).toContain("refresh now");
    expect(out).not.toContain("transcript");
  });

  it("transcript pager pages through the full text", () => {
    const transcript = Array.from({ length: 40 }, (_, i) => `Row ${i + 1}`).join("\n");
    const state = stateFor([["DONE", T0, { completed_at: iso(T0) }]], { transcript });
    const out = frame({ state, rows: 12, overlay: { kind: "pager", offset: 5 } });
    expect(out).toContain("lines 6–14 of 40");
    expect(out).toContain("Row 6");
    expect(out).not.toContain("Row 5\n");
    expect(out).not.toContain("Row 15");
  });

  it("transcript pager counts a one-line transcript (with its final newline) as one line", () => {
    const state = stateFor([["DONE", T0, { completed_at: iso(T0) }]], { transcript: "Hello from the call.\n" });
    const out = frame({ state, rows: 12, overlay: { kind: "pager", offset: 0 } });
    expect(out).toContain("line 1 of 1 ·");
    expect(out).not.toContain("of 2");
  });

  it("asks to confirm a delete", () => {
    const state = stateFor([["DONE", T0, { completed_at: iso(T0) }]]);
    expect(frame({ state, stay: true, overlay: { kind: "confirm-delete" } })).toContain(
      "Delete job job123 and its outputs? y/N",
    );
  });

  it("hides keys that do nothing", () => {
    const queued = stateFor([["QUEUED", T0]]);
    expect(watchKeys(queued).map((k) => k.key)).toEqual(["q", "r", "?"]);
    const deleted = stateFor([
      ["DONE", T0],
      ["DELETED", T0 + 1],
    ]);
    expect(watchKeys(deleted, { stay: true }).map((k) => k.key)).toEqual(["q", "?"]);
  });
});

describe("WatchView final line", () => {
  it("wraps a long error to the window instead of cutting it", () => {
    const reason = "Not authorised (403): API key id not found. Check SLNG_API_KEY or --api-key.";
    const out = frame({
      columns: 40,
      interactive: false,
      state: {
        jobId: "job123",
        timeline: { stages: [] },
        connection: { status: "ok", failures: 0 },
        outcome: { code: 3, reason },
      },
    });
    expect(out.replace(/\s*\n\s*/g, " ")).toContain(`✗ ${reason} · exit code 3`);
    expect(out).not.toContain("…");
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(40);
  });
});

describe("WatchView connection line", () => {
  it("calls a 429 rate-limiting and a 5xx an API error, never 'unreachable for 0ms'", () => {
    const at = T0 + 10_000;
    const line = (detail: string) =>
      frame({
        state: stateFor([["QUEUED", T0]], {
          connection: { status: "retrying", since: at, failures: 1, detail, retryAt: at + 3000 },
        }),
      });
    const limited = line("429 Too Many Requests");
    expect(limited).toContain("⚠ API is rate-limiting (429 Too Many Requests) — retrying in 3 s…");
    expect(line("500 Internal Server Error")).toContain("⚠ API error (500 Internal Server Error) — retrying in 3 s…");
    expect(line("ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9")).toContain("⚠ API unreachable (ECONNREFUSED");
    expect(limited).not.toMatch(/unreachable|0ms/);
  });
});
