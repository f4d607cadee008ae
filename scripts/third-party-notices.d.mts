import type { Plugin } from "esbuild";

/** A bundled third-party package, as found from a bundle's metafile. */
export interface BundledPackage {
  dir: string;
  name: string;
  version: string;
  license: string;
}

/** The packages behind a bundle's input files (metafile `inputs` keys), one per name and version. */
export function bundledPackages(inputs: string[], cwd?: string): BundledPackage[];

/** The Markdown of THIRD-PARTY-NOTICES.md for `packages` bundled into `product`. */
export function renderNotices(product: string, packages: BundledPackage[]): string;

/** An esbuild plugin writing `<outdir>/THIRD-PARTY-NOTICES.md` after each successful build. */
export function thirdPartyNotices(product: string): Plugin;
