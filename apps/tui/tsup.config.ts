import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.tsx"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  splitting: true,
  banner: { js: "#!/usr/bin/env node" },
});
