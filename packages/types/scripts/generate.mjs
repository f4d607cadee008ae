#!/usr/bin/env node
/**
 * Generates, from spec/openapi.yaml:
 * - src/generated/openapi.gen.ts  (openapi-typescript: paths, components, operations, root types, enum arrays)
 * - src/generated/constants.gen.ts (scalar facts of the spec: default model, limits, id pattern, page size)
 * Run from the repo root with `pnpm generate`; never edit the output by hand.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..");
const root = join(pkg, "..", "..");
const specPath = join(root, "spec", "openapi.yaml");
const outFlag = process.argv.indexOf("--out-dir");
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : join(pkg, "src", "generated");
mkdirSync(outDir, { recursive: true });
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve("openapi-typescript/package.json")), "bin", "cli.js");

const header = [
  "/**",
  " * generated — do not edit.",
  ` * Source: ${relative(pkg, specPath)}. Regenerate with \`pnpm generate\` at the repo root.`,
  " */",
  "",
].join("\n");

function write(file, body) {
  writeFileSync(file, header + body);
  if (outFlag < 0) console.log(`wrote ${relative(root, file)}`);
}

const typesOut = join(outDir, "openapi.gen.ts");
const flags = [
  "--enum-values",
  "--root-types",
  "--root-types-no-schema-prefix",
  "--default-non-nullable=false",
  "--export-type",
];
execFileSync(process.execPath, [cli, specPath, "-o", typesOut, ...flags], {
  stdio: ["ignore", "ignore", "inherit"],
});
write(typesOut, readFileSync(typesOut, "utf8").replace(/^\/\*\*[\s\S]*?\*\/\n+/, ""));

const spec = parse(readFileSync(specPath, "utf8"));
const schemas = spec.components.schemas;
const params = spec.components.parameters;
const limits = spec.info["x-slng-limits"];
const constant = (doc, name, value) => `/** ${doc} */\nexport const ${name} = ${JSON.stringify(value)} as const;\n`;
write(
  join(outDir, "constants.gen.ts"),
  [
    constant("The API version prefix of every path.", "API_PATH_PREFIX", "/v1/batch"),
    constant(
      "Base URLs of the hosted API, from the spec's `servers`.",
      "SERVERS",
      Object.fromEntries(spec.servers.map((s) => [s.description.toLowerCase(), s.url])),
    ),
    constant(
      "Base URL of the production API (`SERVERS.production`), on its own so a bundle can leave the other servers out.",
      "PRODUCTION_BASE_URL",
      spec.servers.find((s) => s.description === "Production").url,
    ),
    constant("Model used when a create request names none.", "DEFAULT_MODEL_CODE", schemas.ModelCode.default),
    constant("Source of the pattern every job id must match.", "JOB_ID_PATTERN_SOURCE", schemas.JobId.pattern),
    constant(
      "Largest accepted input, in bytes (upload or URL); larger is answered with 413.",
      "MAX_INPUT_BYTES",
      limits.max_input_bytes,
    ),
    constant(
      "Lifetime of a presigned upload URL, in seconds.",
      "PRESIGN_UPLOAD_EXPIRES_IN",
      limits.presign_upload_expires_in,
    ),
    constant(
      "Approximate lifetime of a signed download URL, in seconds.",
      "DOWNLOAD_URL_EXPIRES_IN",
      limits.download_url_expires_in,
    ),
    constant("Bounds and default of the list operation's `page_size`.", "PAGE_SIZE", {
      min: params.PageSize.schema.minimum,
      max: params.PageSize.schema.maximum,
      default: params.PageSize.schema.default,
    }),
    constant("Default of the list operation's `page`.", "DEFAULT_PAGE", params.Page.schema.default),
    constant(
      "Largest `page` the emulator accepts (emulator limit: SLNG's documentation states none).",
      "MAX_PAGE",
      params.Page.schema.maximum,
    ),
    constant(
      "Longest job id the emulator accepts (emulator limit: SLNG's documentation states none).",
      "JOB_ID_MAX_LENGTH",
      schemas.JobId.maxLength,
    ),
    constant(
      "Largest `srt_overrides` value (`max_line_length`, `max_lines`) the emulator accepts (emulator limit).",
      "SRT_OVERRIDE_MAX",
      schemas.SrtOverrides.properties.max_line_length.maximum,
    ),
    constant("Default sort field of the job list.", "DEFAULT_SORT_BY", schemas.JobSortField.default),
    constant("Default sort order of the job list.", "DEFAULT_SORT_ORDER", schemas.SortOrder.default),
  ].join("\n"),
);
