import { PassThrough, Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";

// Ink's colours come from chalk, which reads FORCE_COLOR when first imported.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

import { render } from "ink";
import { PlainFrames } from "../lib/first-frame.js";
import { screenRuns } from "../test-utils/screen.js";
import { doneState, iso, started, stateFor, T0 } from "../test-utils/watch-states.js";
import { type WatchViewProps, watchFrame } from "./watch-frame.js";
import { WatchView } from "./watch-view.js";

/** What Ink writes for the view, from mount to unmount, on a TTY of `columns`. */
async function inkOutput(props: WatchViewProps): Promise<string> {
  let out = "";
  const stdout = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        out += chunk.toString();
        done();
      },
    }),
    { columns: props.columns, rows: 10_000, isTTY: true },
  ) as unknown as NodeJS.WriteStream;
  const instance = render(<WatchView {...props} />, {
    stdout,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  await new Promise((r) => setTimeout(r, 20));
  instance.unmount();
  return out;
}

function plainOutput(props: WatchViewProps): string {
  let out = "";
  new PlainFrames({ write: (s) => (out += s) }, true).draw(watchFrame(props));
  return out;
}

const decoding: [string, number, Record<string, unknown>?][] = [
  ["QUEUED", T0 + 100],
  ["IN_PROGRESS", T0 + 2100, started],
  ["DECODING", T0 + 5000, started],
];
const done = doneState();
const base = { now: T0 + 10_000, columns: 100, rows: 30, interactive: true };

const cases: [string, WatchViewProps][] = [
  [
    "loading",
    {
      ...base,
      state: { jobId: "job123", timeline: { stages: [] }, connection: { status: "connecting", failures: 0 } },
    },
  ],
  ["QUEUED", { ...base, state: stateFor([["QUEUED", T0 + 100]]) }],
  [
    "DECODING with an ETA",
    { ...base, state: stateFor(decoding), eta: { finishAt: T0 + 40_000, basedOn: 3, fromNow: false } },
  ],
  ["DECODING through <Static>", { ...base, useStatic: true, state: stateFor(decoding) }],
  [
    "retrying, 60 columns",
    {
      ...base,
      columns: 60,
      state: stateFor([["QUEUED", T0]], {
        connection: {
          status: "retrying",
          since: T0 + 2000,
          failures: 3,
          detail: "503 Service Unavailable: the upstream load balancer timed out",
          retryAt: T0 + 14_000,
        },
      }),
    },
  ],
  ["DONE --stay", { ...base, stay: true, state: done }],
  [
    "DONE, 24 rows, delete prompt and notice",
    {
      ...base,
      rows: 24,
      stay: true,
      overlay: { kind: "confirm-delete" },
      state: { ...done, notice: "Saved 2 files to ./job123/" },
    },
  ],
  [
    "FAILED final frame, 50 columns",
    {
      ...base,
      columns: 50,
      interactive: false,
      state: stateFor(
        [
          ["QUEUED", T0],
          [
            "FAILED",
            T0 + 3000,
            {
              completed_at: iso(T0 + 3000),
              error_message: { message: "Could not decode audio: the file ends in the middle of a frame" },
            },
          ],
        ],
        { outcome: { code: 1, reason: "FAILED: Could not decode audio: the file ends in the middle of a frame" } },
      ),
    },
  ],
  [
    "a long wide title on 40 columns",
    {
      ...base,
      columns: 40,
      state: stateFor([
        [
          "QUEUED",
          T0,
          {
            job_config: {
              type: "transcription",
              tracking: { title: "週次ミーティングの録音 — 第十二回", reference: "ref-7" },
            },
          },
        ],
      ]),
    },
  ],
  ["22 columns (the key bar wraps)", { ...base, columns: 22, state: stateFor(decoding) }],
];

describe("watch frame: plain writes and Ink draw the same screen", () => {
  it.each(cases)("%s", async (_name, props) => {
    const cols = props.columns;
    const ink = await screenRuns(await inkOutput(props), cols, 60);
    const plain = await screenRuns(plainOutput(props), cols, 60);
    expect(plain.length).toBeGreaterThan(1);
    expect(plain).toEqual(ink);
  });

  it("the runs compare colour, bold and dim, not only text", async () => {
    const props = cases[2]?.[1] as WatchViewProps;
    const plain = await screenRuns(plainOutput(props), 100, 60);
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
    const bare = await screenRuns(plainOutput(props).replace(sgr, ""), 100, 60);
    expect(bare.map((l) => l.map((r) => r.text).join(""))).toEqual(plain.map((l) => l.map((r) => r.text).join("")));
    expect(bare).not.toEqual(plain);
  });

  it("every line fits the window", () => {
    for (const [, props] of cases) {
      const frame = watchFrame(props);
      for (const line of [...frame.static.flatMap((b) => b.lines), ...frame.live]) {
        expect(line.map((s) => s.text).join("").length).toBeLessThanOrEqual(props.columns);
      }
    }
  });
});

describe("the final frame of a watch that gave up", () => {
  it("shows no spinner and no ETA once the watch has ended (exit 3, the job not found any more)", () => {
    const props: WatchViewProps = {
      ...base,
      interactive: true,
      state: stateFor(decoding, { outcome: { code: 3, reason: "Not found: job not found" } }),
      eta: { finishAt: T0 + 40_000, basedOn: 3, fromNow: false },
    };
    const frame = watchFrame(props);
    const text = [...frame.static, { lines: frame.live }]
      .flatMap((b) => b.lines)
      .map((l) => l.map((s) => s.text).join(""))
      .join("\n");
    expect(text).toContain("✗ Not found: job not found · exit code 3");
    expect(text).not.toMatch(/[◐◓◑◒]/);
    expect(text).not.toContain("ETA");
    expect(text).toMatch(/DECODING\s+0:05 when the watch stopped/);
    // While it runs, the same state has both.
    const running = watchFrame({ ...props, state: stateFor(decoding) });
    const live = running.live.map((l) => l.map((s) => s.text).join("")).join("\n");
    expect(live).toMatch(/[◐◓◑◒] DECODING/);
    expect(live).toContain("ETA");
  });
});
