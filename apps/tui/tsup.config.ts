import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";
import { thirdPartyNotices } from "../../scripts/third-party-notices.mjs";

const fastStringWidth = resolve(dirname(fileURLToPath(import.meta.url)), "src/lib/fast-string-width.ts");

/**
 * Routes every `string-width` import in the bundle (Ink and its helpers use two versions)
 * through src/lib/fast-string-width.ts, which measures ASCII and this UI's symbols without
 * compiling string-width's emoji regular expression (45–80 ms of the first frame on Node 20).
 */
const stringWidthFastPath: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "string-width-fast-path",
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      // The generated module's own import, and this plugin's look-up below, resolve as usual.
      if (args.namespace === "string-width-fast-path" || args.pluginData === "real") return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "real" });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: "string-width-fast-path" };
    });
    build.onLoad({ filter: /.*/, namespace: "string-width-fast-path" }, (args) => ({
      contents: `import real from ${JSON.stringify(args.path)};
import { withFastPath } from ${JSON.stringify(fastStringWidth)};
export default withFastPath(real);`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

export default defineConfig({
  entry: ["src/cli.tsx"],
  format: ["esm"],
  clean: true,
  // No source maps: they were two thirds of the tarball and, for a minified bundle of Ink and
  // React, of little use to a user; they also carried the build machine's absolute paths.
  sourcemap: false,
  target: "node20",
  splitting: true,
  // One bundle instead of hundreds of modules: loading ink/react/react-reconciler as separate
  // (CommonJS) modules costs ~0.8 s of start-up on Node 20; bundled, they load in a fraction.
  noExternal: [/^(?!@slng\/(client|emulator|bulk)$|react-devtools-core$)/],
  external: ["react-devtools-core"],
  // React and its reconciler in production mode: the development builds are twice the code to parse.
  env: { NODE_ENV: "production" },
  minify: true,
  esbuildPlugins: [stringWidthFastPath, thirdPartyNotices("@slng/tui (the slng-batch CLI)")],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __slngCreateRequire } from 'node:module'; const require = __slngCreateRequire(import.meta.url);",
  },
});
