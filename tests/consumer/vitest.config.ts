import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.js";

/**
 * One packed-and-installed project for the whole run (global setup), shared by every file;
 * generous timeouts, since each test spawns real runtimes, a browser and npm.
 */
export default mergeConfig(packageTestConfig({ testTimeout: 120_000 }), {
  test: { globalSetup: ["src/lib/global-setup.ts"], hookTimeout: 300_000 },
});
