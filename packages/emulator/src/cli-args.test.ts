import { describe, expect, it } from "vitest";
import { maskKey, parseCli, UsageError } from "./cli-args.js";

describe("parseCli", () => {
  it("has sensible defaults", () => {
    expect(parseCli([])).toEqual({ help: false, quiet: false, port: 4010, host: "127.0.0.1", options: {} });
    expect(parseCli(["-q"]).quiet).toBe(true);
  });

  it("reads every option, with repeatable --api-key", () => {
    const c = parseCli([
      "--port=0",
      "--host",
      "::1",
      "--api-key",
      "a1",
      "--api-key=b2",
      "--data-dir",
      "/tmp/x",
      "--rtf",
      "0.5",
      "--min-stage-ms",
      "10",
      "--retention",
      "60",
      "--fault-rate",
      "0.25",
      "--fault-seed",
      "9",
      "--fault-kinds",
      "503,drop",
      "--cors-origin",
      "http://localhost:5173/",
      "--cors-origin=https://app.example",
    ]);
    expect(c).toEqual({
      help: false,
      quiet: false,
      port: 0,
      host: "::1",
      options: {
        apiKeys: ["a1", "b2"],
        dataDir: "/tmp/x",
        rtf: 0.5,
        minStageMs: 10,
        retentionSeconds: 60,
        faults: { rate: 0.25, seed: 9, kinds: ["503", "drop"] },
        corsOrigin: ["http://localhost:5173", "https://app.example"],
      },
    });
    expect(parseCli(["-h"]).help).toBe(true);
  });

  it("throws a UsageError that says what is wrong", () => {
    const cases: [string[], RegExp][] = [
      [["--port", "70000"], /--port must be an integer from 0 to 65535/],
      [["--port", "1.5"], /--port must be an integer/],
      [["--rtf=-1"], /--rtf must be a number/],
      [["--fault-rate", "2"], /--fault-rate must be a number from 0 to 1/],
      [["--fault-kinds", "500,boom", "--fault-rate", "1"], /unknown kind 'boom'/],
      [["--fault-seed", "3"], /need --fault-rate/],
      [["--nope"], /Unknown option '--nope'/],
      [["extra"], /positional/i],
      [["--api-key", ""], /--api-key must be a non-empty value/],
      [["--port"], /argument missing|requires/i],
      [["--cors-origin", "localhost:5173"], /--cors-origin: 'localhost:5173' is not an origin/],
    ];
    for (const [argv, re] of cases) {
      expect(() => parseCli(argv), argv.join(" ")).toThrow(UsageError);
      expect(() => parseCli(argv), argv.join(" ")).toThrow(re);
    }
  });
});

describe("maskKey", () => {
  it("never shows a configured key in full, but shows the public demo key", () => {
    expect(maskKey("sk-live-abcdefghijkl", "demo")).toBe("sk-l…**** (20 chars)");
    expect(maskKey("short", "demo")).toBe("***** (5 chars)");
    expect(maskKey("demo", "demo")).toBe("demo");
  });
});
