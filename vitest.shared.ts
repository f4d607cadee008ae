import { defineConfig } from "vitest/config";

/**
 * The vitest settings every package shares: tests beside the code, a JSON report per
 * package in `.vitest/results.json` (summed by `scripts/check-all.mjs`). A test's timeout only
 * catches a hang: it is long (2 minutes by default) because a busy 2-core CI machine can make
 * an honest test ten times slower, and no test may depend on the machine's speed.
 */
export function packageTestConfig(overrides: { testTimeout?: number; typecheck?: boolean } = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.{ts,tsx}"],
      reporters: ["default", "json"],
      outputFile: { json: ".vitest/results.json" },
      testTimeout: overrides.testTimeout ?? 120_000,
      hookTimeout: 120_000,
      typecheck: overrides.typecheck
        ? { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "tsconfig.json" }
        : { enabled: false },
    },
  });
}
