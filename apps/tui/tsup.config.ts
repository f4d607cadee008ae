import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.tsx"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  splitting: true,
  // One bundle instead of hundreds of modules: loading ink/react/react-reconciler as separate
  // (CommonJS) modules costs ~0.8 s of start-up on Node 20; bundled, they load in a fraction.
  noExternal: [/^(?!@slng\/(client|emulator)$|react-devtools-core$)/],
  external: ["react-devtools-core"],
  // React and its reconciler in production mode: the development builds are twice the code to parse.
  env: { NODE_ENV: "production" },
  minify: true,
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __slngCreateRequire } from 'node:module'; const require = __slngCreateRequire(import.meta.url);",
  },
});
