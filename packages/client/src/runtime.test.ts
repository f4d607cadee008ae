import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSlngClient, SlngValidationError } from "./node.js";
import { BASE, KEY } from "./test-kit.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runtime", () => {
  it("sends User-Agent slng-client-js/<version> (<runtime> <version>; <os>; <arch>) from the built package", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const built = (await import(new URL("../dist/node.js", import.meta.url).href)) as typeof import("./node.js");
    let ua: string | null = null;
    const slng = built.createSlngClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: async (r) => {
        ua = r.headers.get("user-agent");
        return new Response('{"job_id":"abc","status":"DONE"}');
      },
    });
    await slng.jobs.get("abc");
    expect(ua).toBe(`slng-client-js/${version} (node ${process.versions.node}; ${process.platform}; ${process.arch})`);
  });

  it("in a web page, a key needs dangerouslyAllowBrowser: true, and the error says why", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    const make = (allow?: boolean) => () =>
      createSlngClient({ apiKey: KEY, baseUrl: BASE, ...(allow ? { dangerouslyAllowBrowser: true } : {}) });
    expect(make()).toThrow(SlngValidationError);
    expect(make()).toThrow(/visible to every user of the page/);
    expect(make(true)).not.toThrow();
  });
});
