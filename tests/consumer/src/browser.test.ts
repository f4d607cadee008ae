import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatorProcess, startInstalledEmulator } from "./lib/emulator-process.js";
import { serveStatic } from "./lib/static-server.js";

const consumer = inject("consumer");
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let site: Awaited<ReturnType<typeof serveStatic>>;
let emulator: EmulatorProcess;
let browser: BrowserContext;
let profile: string;
let pageOrigin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium); pnpm check does it in a root shell`,
    );
  }
  const www = join(consumer.dir, "www");
  await mkdir(www, { recursive: true });
  await build({
    entryPoints: [join(consumer.dir, "page.mjs")],
    absWorkingDir: consumer.dir,
    bundle: true,
    platform: "browser",
    format: "iife",
    outfile: join(www, "page.js"),
    logLevel: "error",
  });
  await copyFile(join(consumer.dir, "index.html"), join(www, "index.html"));
  await copyFile(consumer.wav, join(www, "meeting.wav"));
  site = await serveStatic(www);
  pageOrigin = `http://127.0.0.1:${site.port}`;
  emulator = await startInstalledEmulator(consumer.dir, ["--cors-origin", pageOrigin, "--rtf", "0.02", "--quiet"]);
  profile = await mkdtemp(join(tmpdir(), "slng-chromium-"));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
  await site?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("the browser build in headless Chromium, against the emulator on another origin", () => {
  it("creates (multipart and presigned PUT), waits, lists, gets and downloads a transcript", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${pageOrigin}/`);
    const result = await page.evaluate(
      (args) => (window as unknown as { runFlow: (a: unknown) => Promise<Record<string, unknown>> }).runFlow(args),
      { baseUrl: emulator.url, apiKey: "slng-emulator-demo-key" },
    );
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: "DONE", presignedSource: "presign", outputs: ["json", "srt", "txt"] });
    expect(result.listed).toEqual(expect.arrayContaining(result.ids as string[]));
    expect(String(result.txt).trim().length).toBeGreaterThan(0);
    await page.close();
  });

  it("refuses to use a key in a page without dangerouslyAllowBrowser, saying why", async () => {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    const result = await page.evaluate(
      (args) =>
        (window as unknown as { tryWithoutOptIn: (a: unknown) => Record<string, unknown> }).tryWithoutOptIn(args),
      { baseUrl: emulator.url, apiKey: "slng-emulator-demo-key" },
    );
    expect(result).toMatchObject({ ok: false, name: "SlngValidationError" });
    expect(result.message).toMatch(/visible to every user of the page.*dangerouslyAllowBrowser: true/);
    await page.close();
  });

  it("is refused on an origin the emulator was not told about (no CORS by default)", async () => {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${site.port}/`);
    const result = await page.evaluate(
      (args) => (window as unknown as { tryList: (a: unknown) => Promise<Record<string, unknown>> }).tryList(args),
      { baseUrl: emulator.url, apiKey: "slng-emulator-demo-key" },
    );
    expect(result).toMatchObject({ ok: false, name: "SlngNetworkError" });
    await page.close();
  });
});
