import type { BulkEvent, BulkSummary } from "@slng/bulk";
import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { applyBulkEvent, type BulkViewState, estimateMsLeft, initialBulkState } from "../lib/bulk-model.js";
import { BulkViewStore } from "../lib/bulk-store.js";
import { BulkScreen } from "./bulk-screen.js";
import { BulkView } from "./bulk-view.js";

const T0 = Date.parse("2026-12-02T10:00:00Z");
const tick = () => new Promise((r) => setTimeout(r, 30));

function stateAfter(events: BulkEvent[], now = T0): BulkViewState {
  const s = initialBulkState("./transcripts", T0);
  for (const e of events) applyBulkEvent(s, e, now);
  return s;
}
const plan = (total: number, extra: Partial<Extract<BulkEvent, { type: "plan" }>> = {}): BulkEvent => ({
  type: "plan",
  total,
  skippedFiles: [],
  alreadyDone: 0,
  resumed: 0,
  ...extra,
});
const move = (key: string, previous: string, state: string, extra: Record<string, unknown> = {}) =>
  ({ type: "input", key, previous, state, ...extra }) as BulkEvent;

function summary(over: Partial<BulkSummary> = {}): BulkSummary {
  return {
    total: 3,
    counts: { pending: 0, uploading: 0, queued: 0, processing: 0, downloading: 0, done: 3, failed: 0 },
    failed: [],
    audioSecondsDone: 5400,
    detached: false,
    requests: 9,
    elapsedMs: 60_000,
    ...over,
  };
}

describe("the bulk view", () => {
  it("shows the bar, counts by state, audio done, throughput, an ETA labelled as an estimate, and upload bars", () => {
    const s = stateAfter([
      plan(4),
      move("a.wav", "pending", "uploading"),
      { type: "upload_progress", key: "a.wav", loaded: 512 * 1024, total: 1024 * 1024 },
      move("b.wav", "pending", "uploading"),
      move("b.wav", "uploading", "queued"),
      move("c.wav", "pending", "uploading"),
      move("c.wav", "uploading", "queued"),
      move("c.wav", "queued", "processing"),
      move("c.wav", "processing", "downloading", { audioSeconds: 1800 }),
      move("c.wav", "downloading", "done", { audioSeconds: 1800 }),
    ]);
    const { lastFrame } = render(<BulkView state={s} now={T0 + 600_000} columns={100} keys />);
    const out = lastFrame() ?? "";
    expect(out).toContain("1/4 finished 25%");
    expect(out).toMatch(/uploading 1 · queued 1 · processing 0 · done 1 · failed 0 · waiting 1/);
    expect(out).toContain("audio done 30.0 min");
    expect(out).toContain("3.0 audio h/h");
    expect(out).toMatch(/ETA ~30:00 \(estimate\)/);
    expect(out).toMatch(/a\.wav +█+░+ +50% +1\.0 MiB/);
    expect(out).toContain("q detach");
  });

  it("lists the last failures with their messages, newest last, at most five", () => {
    const events: BulkEvent[] = [plan(7)];
    for (let i = 0; i < 7; i++) events.push(move(`f${i}.wav`, "pending", "failed", { error: `could not decode ${i}` }));
    const { lastFrame } = render(<BulkView state={stateAfter(events)} now={T0} columns={80} keys />);
    const out = lastFrame() ?? "";
    expect(out).toContain("Last failures");
    expect(out).not.toContain("f1.wav");
    expect(out).toContain("✗ f6.wav — could not decode 6");
    expect(out.match(/✗ f\d\.wav/g)).toHaveLength(5);
  });

  it("counts inputs finished in an earlier run as done but not in throughput or the ETA", () => {
    const s = stateAfter([
      plan(3, { alreadyDone: 2 }),
      move("a.wav", "done", "done", { reason: "earlier run", audioSeconds: 60 }),
      move("b.wav", "done", "done", { reason: "earlier run", audioSeconds: 60 }),
    ]);
    expect(s.counts).toMatchObject({ done: 2, pending: 1 });
    expect(s.finishedEarlier).toBe(2);
    expect(estimateMsLeft(s, T0 + 1000)).toBeUndefined();
    const out = render(<BulkView state={s} now={T0 + 1000} columns={80} keys />).lastFrame() ?? "";
    expect(out).toContain("2/3 finished");
    expect(out).not.toContain("audio h/h");
  });

  it("keeps the ETA long while a long recording is still in flight (its measured audio counts)", () => {
    const events: BulkEvent[] = [plan(10), move("long.wav", "pending", "uploading")];
    events.push(move("long.wav", "uploading", "queued", { jobId: "jLong" }));
    events.push(move("long.wav", "queued", "processing", { jobId: "jLong", audioSeconds: 3600 }));
    for (let i = 0; i < 9; i++) {
      events.push(move(`s${i}.wav`, "pending", "processing", { jobId: `j${i}`, audioSeconds: 10 }));
      events.push(move(`s${i}.wav`, "processing", "done", { jobId: `j${i}`, audioSeconds: 10 }));
    }
    const s = stateAfter(events);
    expect(estimateMsLeft(s, T0 + 90_000)).toBe(3_600_000);
    const out = render(<BulkView state={s} now={T0 + 90_000} columns={100} keys />).lastFrame() ?? "";
    expect(out).toMatch(/ETA ~1:00:00 \(estimate\)/);
  });

  it("gives no ETA while nothing with audio was saved in this run (no rate to go by)", () => {
    const s = stateAfter([plan(2), move("a.wav", "pending", "failed", { error: "bad" })]);
    expect(estimateMsLeft(s, T0 + 60_000)).toBeUndefined();
  });

  it("ends with a green line when all are saved, a red one naming the report when some failed", () => {
    const ok = stateAfter([plan(3), { type: "summary", summary: summary() }]);
    expect(render(<BulkView state={ok} now={T0} columns={80} keys />).lastFrame()).toContain(
      "✓ all 3 saved in ./transcripts",
    );
    const bad = stateAfter([
      plan(3),
      { type: "summary", summary: summary({ failed: [{ key: "x.wav", error: "bad", cause: "job" }] }) },
    ]);
    const out = render(<BulkView state={bad} now={T0} columns={80} keys />).lastFrame() ?? "";
    expect(out).toContain("✗ finished: 1 failed · report in ./transcripts/bulk-report.json");
    expect(out).not.toContain("ETA");
  });

  it("shows a fatal stop and a 429 pause", () => {
    const s = stateAfter([
      plan(2),
      { type: "rate_limited", retryAfterMs: 5000, concurrency: 2 },
      { type: "fatal", kind: "auth", message: "not authorised (403)" },
    ]);
    const out = render(<BulkView state={s} now={T0 + 1000} columns={80} keys />).lastFrame() ?? "";
    expect(out).toContain("rate limited (429): pausing new uploads");
    expect(out).toContain("concurrency 2");
    expect(out).toContain("✗ stopped: not authorised (403)");
  });

  it("keeps every line within a narrow terminal", () => {
    const s = stateAfter([
      plan(2),
      move("a/very/long/path/to/some/recording-with-a-long-name.wav", "pending", "uploading"),
      {
        type: "upload_progress",
        key: "a/very/long/path/to/some/recording-with-a-long-name.wav",
        loaded: 10,
        total: 100,
      },
    ]);
    const out = render(<BulkView state={s} now={T0} columns={50} keys={false} />).lastFrame() ?? "";
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
  });
});

describe("the bulk screen", () => {
  it("q detaches and Ctrl+C interrupts", async () => {
    const store = new BulkViewStore("./out", () => T0, 0);
    store.apply(plan(1));
    const onDetach = vi.fn();
    const onInterrupt = vi.fn();
    const { stdin, lastFrame, unmount } = render(
      <BulkScreen store={store} onDetach={onDetach} onInterrupt={onInterrupt} />,
    );
    await tick();
    expect(lastFrame()).toContain("0/1 finished");
    stdin.write("q");
    await tick();
    expect(onDetach).toHaveBeenCalledTimes(1);
    stdin.write("\u0003");
    await tick();
    expect(onInterrupt).toHaveBeenCalledTimes(1);
    store.stopping("detach");
    await tick();
    expect(lastFrame()).toContain("detaching: jobs keep running · run the same command again to resume");
    unmount();
    store.dispose();
  });

  it("redraws from the store's events", async () => {
    const store = new BulkViewStore("./out", () => T0, 0);
    const { lastFrame, unmount } = render(<BulkScreen store={store} onDetach={() => {}} onInterrupt={() => {}} />);
    store.apply(plan(2));
    store.apply(move("a.wav", "pending", "uploading"));
    store.apply(move("a.wav", "uploading", "queued"));
    await tick();
    expect(lastFrame()).toMatch(/queued 1/);
    store.apply({ type: "summary", summary: summary({ total: 2 }) });
    await tick();
    expect(lastFrame()).toContain("✓ all 2 saved");
    unmount();
    store.dispose();
  });
});
