import { copyFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleWav } from "@slng/emulator";
import type { TestProject } from "vitest/node";
import { startInstalledEmulator } from "./emulator-process.js";
import { createConsumerProject } from "./project.js";

/** What the global setup hands every test file (through `inject("consumer")`). */
export interface ConsumerContext {
  /** The npm project with the packed packages installed. */
  dir: string;
  tarballs: Record<string, string>;
  packagesBytes: number;
  /** The installed emulator bin, started for the run. */
  baseUrl: string;
  apiKey: string;
  /** A 3-second WAV in the project folder. */
  wav: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    consumer: ConsumerContext;
  }
}

const API_KEY = "sk-consumer-test-key-0123456789";
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/**
 * Packs and installs the packages once, copies the consumer programs in, and starts the
 * installed emulator bin. `KEEP_CONSUMER_PROJECT=1` keeps the temp folder for a look.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const consumer = await createConsumerProject();
  for (const file of await readdir(FIXTURES)) await copyFile(join(FIXTURES, file), join(consumer.dir, file));
  const wav = join(consumer.dir, "meeting.wav");
  await writeFile(wav, createSampleWav({ seconds: 3 }));
  const emulator = await startInstalledEmulator(consumer.dir, [
    "--api-key",
    API_KEY,
    "--rtf",
    "0.02",
    "--min-stage-ms",
    "20",
    "--quiet",
  ]);
  project.provide("consumer", {
    dir: consumer.dir,
    tarballs: consumer.tarballs,
    packagesBytes: consumer.packagesBytes,
    baseUrl: emulator.url,
    apiKey: API_KEY,
    wav,
  });
  console.log(
    `consumer project: ${consumer.dir} (toolkit packages in node_modules: ${(consumer.packagesBytes / 1e6).toFixed(1)} MB)`,
  );
  return async () => {
    await emulator.stop();
    if (!process.env.KEEP_CONSUMER_PROJECT) await rm(consumer.root, { recursive: true, force: true });
  };
}
