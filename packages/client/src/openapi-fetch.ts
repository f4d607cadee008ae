import openapiFetch from "openapi-fetch";

type CreateClient = typeof openapiFetch;

/**
 * openapi-fetch's `createClient`, whichever module system loaded this file.
 *
 * openapi-fetch 0.17 publishes its CommonJS build with only `exports.default` (and
 * `__esModule`). When our own CommonJS build requires it, Node's interop (and esbuild's,
 * which follows Node for `"type": "module"` packages) hands the default import the whole
 * `module.exports` object rather than the function, so the function is one level down.
 */
export const createClient: CreateClient = (options) =>
  (typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: CreateClient }).default)(
    options,
  );
