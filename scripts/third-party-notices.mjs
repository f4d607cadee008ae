/**
 * Third-party notices for a bundle: the packages whose code esbuild put into it (read from its
 * metafile), each with name, version, licence and the full licence text from the package, written
 * as one Markdown file next to the bundle. Used by apps/tui/tsup.config.ts, whose CLI bundles Ink,
 * React and their dependencies: their licences require the notices to travel with the code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** A bundled package: where it lives on disk and what its manifest says. */
function packageRoot(file) {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && dir.includes("node_modules")) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.name && pkg.version) return { dir, name: pkg.name, version: pkg.version, license: licenseOf(pkg) };
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** The SPDX expression of a manifest (also the old `licenses` array form). */
function licenseOf(pkg) {
  if (typeof pkg.license === "string") return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(" OR ");
  return "UNKNOWN";
}

/** Standard texts for packages that name their licence but ship no file with it. */
const STANDARD_TEXTS = {
  MIT: (holder) => `MIT License

Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`,
  ISC: (holder) => `ISC License

Copyright (c) ${holder}

Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.`,
};

/** The author of a manifest as one line (`author` as a string or `{ name }`). */
function holderOf(manifest) {
  const author = typeof manifest.author === "string" ? manifest.author : manifest.author?.name;
  return author ? author.replace(/\s*[<(].*$/, "") : `the ${manifest.name} authors`;
}

/**
 * The licence text a package ships (LICENSE, LICENCE, COPYING, NOTICE…), joined; when it ships
 * none, the standard MIT or ISC text with its author as the copyright holder, marked as such.
 */
function licenseText(pkg) {
  const files = readdirSync(pkg.dir).filter((f) => LICENSE_FILE.test(f));
  if (files.length > 0) return files.map((f) => readFileSync(join(pkg.dir, f), "utf8").trim()).join("\n\n");
  const standard = STANDARD_TEXTS[pkg.license];
  if (!standard) return "";
  const manifest = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8"));
  return `(The package ships no licence file; this is the standard ${pkg.license} text its manifest names.)\n\n${standard(holderOf(manifest))}`;
}

/**
 * The packages behind a list of bundled input files (paths relative to `cwd`), one entry per
 * name and version, sorted by name; throws when one ships no licence text.
 */
export function bundledPackages(inputs, cwd = process.cwd()) {
  const byKey = new Map();
  for (const input of inputs) {
    const file = resolve(cwd, input.replace(/^[\w-]+:/, ""));
    if (!file.includes("node_modules")) continue;
    const pkg = packageRoot(file);
    if (pkg) byKey.set(`${pkg.name}@${pkg.version}`, pkg);
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The Markdown of THIRD-PARTY-NOTICES.md for `packages` bundled into `product`. */
export function renderNotices(product, packages) {
  const sections = packages.map((pkg) => {
    const text = licenseText(pkg);
    if (!text) throw new Error(`${pkg.name}@${pkg.version} ships no licence file: add its notice by hand`);
    return `## ${pkg.name}@${pkg.version}\n\nLicence: ${pkg.license}\n\n\`\`\`\n${text}\n\`\`\`\n`;
  });
  return `# Third-party notices\n\n${product} bundles the following ${packages.length} packages. Their licences follow.\n\n${sections.join("\n")}`;
}

/**
 * An esbuild plugin (for tsup's `esbuildPlugins`) writing `<outdir>/THIRD-PARTY-NOTICES.md` for
 * every package in the bundle after each successful build.
 */
export function thirdPartyNotices(product) {
  return {
    name: "third-party-notices",
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (result.errors.length > 0 || !result.metafile) return;
        const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
        const packages = bundledPackages(Object.keys(result.metafile.inputs), cwd);
        const outdir = resolve(cwd, build.initialOptions.outdir ?? dirname(build.initialOptions.outfile));
        mkdirSync(outdir, { recursive: true });
        writeFileSync(join(outdir, "THIRD-PARTY-NOTICES.md"), renderNotices(product, packages));
      });
    },
  };
}
