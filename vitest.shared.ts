import { defineConfig } from "vitest/config";

/**
 * The vitest settings every package shares: tests beside the code, a JSON report per
 * package in `.vitest/results.json` (summed by `scripts/check-all.mjs`).
 */
export function packageTestConfig(overrides: { testTimeout?: number; typecheck?: boolean } = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.{ts,tsx}"],
      reporters: ["default", "json"],
      outputFile: { json: ".vitest/results.json" },
      testTimeout: overrides.testTimeout ?? 15_000,
      typecheck: overrides.typecheck
        ? { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "tsconfig.json" }
        : { enabled: false },
    },
  });
}
