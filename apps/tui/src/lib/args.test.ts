import { describe, expect, it } from "vitest";
import { COMMANDS, type CommandName, helpText, numberOption, parseCommandLine, UsageError } from "./args.js";

describe("parseCommandLine", () => {
  it("parses a command with positionals and flags", () => {
    const parsed = parseCommandLine(["watch", "abc123", "--timeout", "30", "--json"]);
    expect(parsed).toMatchObject({ command: "watch", positionals: ["abc123"], help: false });
    if ("values" in parsed) expect(parsed.values).toMatchObject({ timeout: "30", json: true });
  });

  it("gives top-level help for no arguments, --help and help <command>", () => {
    expect(parseCommandLine([])).toEqual({ command: "help" });
    expect(parseCommandLine(["--help"])).toEqual({ command: "help" });
    expect(parseCommandLine(["help", "submit"])).toEqual({ command: "help", topic: "submit" });
    expect(parseCommandLine(["--version"])).toEqual({ command: "version" });
  });

  it.each(Object.keys(COMMANDS) as CommandName[])("has --help for %s", (name) => {
    const parsed = parseCommandLine([name, "--help"]);
    expect(parsed).toMatchObject({ command: name, help: true });
    const text = helpText(name);
    expect(text).toContain(`Usage: ${COMMANDS[name].usage}`);
    expect(text).toContain("--json");
    if (COMMANDS[name].needsApi) expect(text).toContain("--api-key");
  });

  it("local commands refuse the API options they have no use for", () => {
    expect(() => parseCommandLine(["demo", "--api-key", "k"])).toThrow(/unknown option --api-key/);
    expect(() => parseCommandLine(["emulator", "--base-url", "http://127.0.0.1:1"])).toThrow(
      /unknown option --base-url/,
    );
    expect(parseCommandLine(["emulator", "--api-key", "a", "--api-key", "b"])).toMatchObject({
      values: { "api-key": ["a", "b"] },
    });
  });

  it("documents exit codes in the help of watch and the top level", () => {
    expect(helpText("watch")).toMatch(/130\s+interrupted/);
    expect(helpText()).toMatch(/4\s+--timeout reached/);
    expect(helpText()).toContain("slng-batch demo");
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"$/],
    [["wacth", "abc"], /unknown command "wacth" — did you mean "watch"\?/],
    [["help", "job"], /did you mean "jobs"\?/],
    [["submit", "a.wav", "--langauge", "en"], /unknown option --langauge — did you mean "--language"\?/],
    [["watch"], /missing <jobId>/],
    [["watch", "a", "b"], /unexpected argument "b"/],
    [["watch", "abc", "--bogus"], /unknown option --bogus/],
    [["transcript", "abc", "--format"], /needs a value/],
    [["--bogus", "watch", "abc"], /--bogus is not a global option: a command must come first/],
    [["--json"], /missing command: put one after the global options/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it("takes global options before the command as after it", () => {
    const parsed = parseCommandLine([
      "--json",
      "--base-url",
      "http://127.0.0.1:1",
      "--no-color",
      "--api-key-file=k.txt",
      "watch",
      "abc123",
      "--timeout",
      "5",
    ]);
    expect(parsed).toMatchObject({ command: "watch", positionals: ["abc123"], help: false });
    if ("values" in parsed)
      expect(parsed.values).toMatchObject({
        json: true,
        "base-url": "http://127.0.0.1:1",
        "no-color": true,
        "api-key-file": "k.txt",
        timeout: "5",
      });
    expect(parseCommandLine(["--json", "jobs", "--help"])).toMatchObject({ command: "jobs", help: true });
    expect(() => parseCommandLine(["--base-url", "http://x", "demo"])).toThrow(/unknown option --base-url/);
  });

  it("names the command whose help to read on a usage error", () => {
    try {
      parseCommandLine(["submit"]);
      expect.unreachable();
    } catch (error) {
      expect((error as UsageError).command).toBe("submit");
    }
  });

  it("collects repeated --tag values", () => {
    const parsed = parseCommandLine(["submit", "a.wav", "--tag", "x", "--tag", "y"]);
    if ("values" in parsed) expect(parsed.values.tag).toEqual(["x", "y"]);
  });
});

describe("numberOption", () => {
  it("parses numbers and rejects junk", () => {
    expect(numberOption({ timeout: "2.5" }, "timeout", "watch")).toBe(2.5);
    expect(numberOption({}, "timeout", "watch")).toBeUndefined();
    expect(() => numberOption({ timeout: "soon" }, "timeout", "watch")).toThrow(/--timeout must be a number/);
    expect(() => numberOption({ port: "1.5" }, "port", "emulator", { integer: true })).toThrow(/integer/);
    expect(() => numberOption({ timeout: "-1" }, "timeout", "watch")).toThrow(UsageError);
  });

  it.each(Object.keys(COMMANDS) as CommandName[])(
    "the usage line of %s names every option (or says [options])",
    (name) => {
      const { usage, options } = COMMANDS[name];
      if (usage.includes("[options]")) return;
      for (const option of Object.keys(options)) {
        const short = options[option]?.short;
        expect(usage.includes(`--${option}`) || (short !== undefined && usage.includes(`-${short} `)), option).toBe(
          true,
        );
      }
    },
  );

  it.each(["jobs", "transcript", "files", "delete"] as const)(
    "%s --help lists its own exit codes, not the watch table",
    (name) => {
      const text = helpText(name);
      expect(text).toMatch(/Exit codes:/);
      expect(text).not.toContain("the job finished DONE");
      expect(text).not.toContain("--timeout reached");
    },
  );

  it("delete --help lists exit 1, which it ends with for a job still running", () => {
    expect(helpText("delete")).toMatch(/^ {2}1 {4}the job is still running/m);
  });

  it("the top-level --help lists --version and -v, which print the version", () => {
    expect(helpText()).toMatch(/^ {2}-v, --version\s+print the version/m);
    expect(parseCommandLine(["-v"])).toEqual({ command: "version" });
  });

  it("takes a negative number as an option's value, for the friendly range message", () => {
    const parsed = parseCommandLine(["watch", "abc", "--timeout", "-5"]);
    if (!("values" in parsed)) throw new Error("not a command");
    expect(() => numberOption(parsed.values, "timeout", "watch", { min: 0 })).toThrow(
      /--timeout must be a number ≥ 0 \(got "-5"\)/,
    );
  });
});
