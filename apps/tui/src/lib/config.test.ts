import { describe, expect, it } from "vitest";
import { applyColorDecision, isInteractive, shouldUseColor } from "./color.js";
import { ConfigError, EMULATOR_DEMO_KEY, redactSecret, resolveConfig } from "./config.js";

describe("resolveConfig", () => {
  it("prefers flags over the environment", () => {
    const config = resolveConfig(
      { apiKey: "flag-key", baseUrl: "https://x.example" },
      { SLNG_API_KEY: "env-key", SLNG_BASE_URL: "https://y.example" },
    );
    expect(config).toEqual({ apiKey: "flag-key", baseUrl: "https://x.example", demoKey: false });
  });

  it("reads SLNG_API_KEY and defaults to production", () => {
    expect(resolveConfig({}, { SLNG_API_KEY: "k1" })).toEqual({
      apiKey: "k1",
      baseUrl: "https://api.batch.slng.ai",
      demoKey: false,
    });
  });

  it("uses the emulator demo key for a loopback base URL without a key", () => {
    expect(resolveConfig({}, { SLNG_BASE_URL: "http://127.0.0.1:4010/" })).toEqual({
      apiKey: EMULATOR_DEMO_KEY,
      baseUrl: "http://127.0.0.1:4010",
      demoKey: true,
    });
  });

  it("says how to set a key, and that demo needs none, when there is neither key nor base URL", () => {
    expect(() => resolveConfig({}, {})).toThrow(ConfigError);
    expect(() => resolveConfig({}, {})).toThrow(/SLNG_API_KEY[\s\S]*--api-key[\s\S]*slng-batch demo/);
  });

  it("refuses plain http to a remote host and never echoes the key", () => {
    try {
      resolveConfig({ apiKey: "sk-very-secret" }, { SLNG_BASE_URL: "http://api.example.com" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/clear text/);
      expect((error as Error).message).not.toContain("sk-very-secret");
    }
    expect(() => resolveConfig({}, { SLNG_BASE_URL: "not a url" })).toThrow(/not a valid URL/);
    expect(() => resolveConfig({}, { SLNG_BASE_URL: "ftp://x" })).toThrow(/https/);
  });

  it("redacts secrets", () => {
    expect(redactSecret("key sk-123456 leaked", "sk-123456")).toBe("key [redacted] leaked");
  });
});

describe("colour and interactivity", () => {
  const base = { noColorFlag: false, json: false, isTTY: true };
  it.each([
    [{}, true],
    [{ NO_COLOR: "1" }, false],
    [{ NO_COLOR: "" }, true],
    [{ TERM: "dumb" }, false],
    [{ FORCE_COLOR: "0" }, false],
    [{ FORCE_COLOR: "1", TERM: "dumb" }, true],
  ])("env %j → colour %s", (env, expected) => {
    expect(shouldUseColor({ ...base, env })).toBe(expected);
  });

  it("turns colour off for --no-color, --json and pipes", () => {
    expect(shouldUseColor({ ...base, noColorFlag: true, env: {} })).toBe(false);
    expect(shouldUseColor({ ...base, json: true, env: { FORCE_COLOR: "1" } })).toBe(false);
    expect(shouldUseColor({ ...base, isTTY: false, env: {} })).toBe(false);
  });

  it("sets FORCE_COLOR for Ink", () => {
    const env: NodeJS.ProcessEnv = {};
    applyColorDecision(false, env);
    expect(env.FORCE_COLOR).toBe("0");
    applyColorDecision(true, env);
    expect(env.FORCE_COLOR).toBe("1");
  });

  it("is interactive only on a TTY outside CI and without --json", () => {
    const tty = { json: false, stdoutTTY: true, stdinTTY: true };
    expect(isInteractive({ ...tty, env: {} })).toBe(true);
    expect(isInteractive({ ...tty, env: { CI: "true" } })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: "0" } })).toBe(true);
    expect(isInteractive({ ...tty, json: true, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, stdinTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, env: { TERM: "dumb" } })).toBe(false);
  });
});
