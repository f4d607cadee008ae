import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.js";

export default mergeConfig(packageTestConfig({ testTimeout: 300_000 }), {
  test: { globalSetup: ["./src/test-pg-setup.ts"] },
});
