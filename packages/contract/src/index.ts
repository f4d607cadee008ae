/**
 * Internal test helper: the SLNG Batch API spec (`spec/openapi.yaml`) as data, and validators
 * that check a value against a named schema or a response against an operation's declared
 * responses. Used by the spec tests and by the emulator's and client's contract tests.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// biome-ignore lint/suspicious/noExplicitAny: the spec is untyped YAML
type Json = any;

/** Absolute path of `spec/openapi.yaml`. */
export const SPEC_PATH: string = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "spec",
  "openapi.yaml",
);

/** The parsed spec. */
export const spec: Json = parse(readFileSync(SPEC_PATH, "utf8"));

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);
  ajv.addKeyword({ keyword: "x-slng-limits" });
  ajv.addSchema({ $id: "openapi.json", components: spec.components, paths: spec.paths });
  return ajv;
}

const ajv = createAjv();
const cache = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: `openapi.json${ref}` });
    cache.set(ref, fn);
  }
  return fn;
}

/** Result of a validation: `ok`, or the JSON Schema errors in readable form. */
export interface ValidationResult {
  ok: boolean;
  errors: string[];
}

function result(fn: ValidateFunction, value: unknown): ValidationResult {
  const ok = fn(value) as boolean;
  return { ok, errors: ok ? [] : (fn.errors ?? []).map(formatError) };
}

function formatError(e: ErrorObject): string {
  return `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`;
}

/** Validates `value` against `#/components/schemas/<name>`. */
export function validateSchema(name: string, value: unknown): ValidationResult {
  if (!spec.components.schemas[name]) throw new Error(`no schema named ${name} in the spec`);
  return result(validatorFor(`#/components/schemas/${name}`), value);
}

/** Validates `value` against any JSON-pointer ref into the spec (e.g. `#/components/parameters/Page/schema`). */
export function validateRef(ref: string, value: unknown): ValidationResult {
  return result(validatorFor(ref), value);
}

function resolve(node: Json): Json {
  let n = node;
  while (n && typeof n.$ref === "string") {
    const parts = (n.$ref as string).replace(/^#\//, "").split("/");
    n = parts.reduce((acc: Json, p: string) => acc?.[p], spec);
  }
  return n;
}

/** Finds the spec path template that matches a concrete request path (e.g. `/v1/batch/jobs/abc`). */
export function matchPath(pathname: string): string | undefined {
  for (const template of Object.keys(spec.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (re.test(pathname)) return template;
  }
  return undefined;
}

/**
 * Validates a response against the spec: the status must be declared for the operation
 * (`method` + concrete `pathname`), and a JSON body must match the declared schema.
 */
export function validateResponse(
  method: string,
  pathname: string,
  status: number,
  body: unknown,
  contentType = "application/json",
): ValidationResult {
  const template = matchPath(pathname);
  if (!template) return { ok: false, errors: [`path ${pathname} is not in the spec`] };
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op) return { ok: false, errors: [`${method} ${template} is not in the spec`] };
  const declared = op.responses[String(status)];
  if (!declared) {
    return {
      ok: false,
      errors: [
        `${method} ${template} answered ${status}, which the spec does not declare (${Object.keys(op.responses).join(", ")})`,
      ],
    };
  }
  const response = resolve(declared);
  const media = response.content?.[contentType.split(";")[0]?.trim() ?? ""];
  if (!media) {
    if (!response.content) return { ok: true, errors: [] };
    return { ok: false, errors: [`${method} ${template} ${status}: content type ${contentType} is not declared`] };
  }
  const pointer = findPointer(declared, status, template, method);
  return result(validatorFor(pointer), body);
}

function findPointer(declared: Json, status: number, template: string, method: string): string {
  if (typeof declared.$ref === "string") return `${declared.$ref}/content/application~1json/schema`;
  return `#/paths/${pointerSegment(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
}

/** Escapes one JSON-pointer segment for use in a URI fragment. */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}

/** Every `examples` entry of every component schema, and every media-type `example(s)`, with where it sits. */
export function collectExamples(): { where: string; ref: string; value: unknown }[] {
  const out: { where: string; ref: string; value: unknown }[] = [];
  for (const [name, schema] of Object.entries<Json>(spec.components.schemas)) {
    (schema.examples ?? []).forEach((value: unknown, i: number) => {
      out.push({ where: `components.schemas.${name}.examples[${i}]`, ref: `#/components/schemas/${name}`, value });
    });
  }
  for (const [name, param] of Object.entries<Json>(spec.components.parameters)) {
    if (param.example !== undefined) {
      out.push({
        where: `components.parameters.${name}.example`,
        ref: `#/components/parameters/${name}/schema`,
        value: param.example,
      });
    }
  }
  const visitContent = (content: Json, base: string, where: string) => {
    for (const [type, media] of Object.entries<Json>(content ?? {})) {
      const ref = `${base}/content/${type.replace(/\//g, "~1")}/schema`;
      if (media.example !== undefined) out.push({ where: `${where} ${type} example`, ref, value: media.example });
      for (const [ex, v] of Object.entries<Json>(media.examples ?? {})) {
        out.push({ where: `${where} ${type} examples.${ex}`, ref, value: v.value });
      }
    }
  };
  for (const [name, resp] of Object.entries<Json>(spec.components.responses)) {
    visitContent(resp.content, `#/components/responses/${name}`, `components.responses.${name}`);
  }
  for (const [template, item] of Object.entries<Json>(spec.paths)) {
    const escaped = pointerSegment(template);
    for (const method of ["get", "post", "put", "delete", "patch"]) {
      const op = item[method];
      if (!op) continue;
      if (op.requestBody)
        visitContent(
          op.requestBody.content,
          `#/paths/${escaped}/${method}/requestBody`,
          `${method} ${template} request`,
        );
      for (const [status, resp] of Object.entries<Json>(op.responses)) {
        if (!resp.$ref)
          visitContent(
            resp.content,
            `#/paths/${escaped}/${method}/responses/${status}`,
            `${method} ${template} ${status}`,
          );
      }
    }
  }
  return out;
}
