import { SERVERS } from "@slng/types";

/** The emulator's well-known demo key (same value as `@slng/emulator`'s `DEFAULT_API_KEY`). */
export const EMULATOR_DEMO_KEY = "slng-emulator-demo-key";

/** A configuration problem (no key, bad base URL): exit code 2, with the fix in the message. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Where the API is and how to authenticate. `apiKey` is never printed. */
export interface ResolvedConfig {
  apiKey: string;
  baseUrl: string;
  /** True when the key is the emulator's demo key (a loopback base URL without a key). */
  demoKey: boolean;
}

/** True for http(s) URLs on 127.0.0.1, ::1 or localhost. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Resolves the API key and base URL: `--api-key` (or `--api-key-file`, named by `apiKeyFlag`
 * in messages) then `SLNG_API_KEY`; `--base-url` then
 * `SLNG_BASE_URL` then production. A loopback base URL without a key uses the emulator's demo
 * key. With neither a key nor a base URL, the error says how to set one and that `slng-batch
 * demo` needs none.
 */
export function resolveConfig(
  flags: { apiKey?: string | undefined; baseUrl?: string | undefined; apiKeyFlag?: string | undefined },
  env: NodeJS.ProcessEnv,
): ResolvedConfig {
  const rawBase = flags.baseUrl ?? nonEmpty(env.SLNG_BASE_URL);
  const apiKey = flags.apiKey ?? nonEmpty(env.SLNG_API_KEY);
  const keyFlag = flags.apiKeyFlag ?? "--api-key";
  if (flags.apiKey !== undefined && flags.apiKey.trim() === "") throw new ConfigError(`${keyFlag} is empty.`);
  let base: URL;
  try {
    base = new URL(rawBase ?? SERVERS.production);
  } catch {
    throw new ConfigError(
      `The base URL "${rawBase}" is not a valid URL. Use e.g. https://api.batch.slng.ai or http://127.0.0.1:4010.`,
    );
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new ConfigError(`The base URL must start with https:// (got ${base.protocol}//).`);
  }
  if (base.protocol === "http:" && !isLoopbackUrl(base)) {
    throw new ConfigError(
      `Refusing to send your API key in clear text to ${base.host}: use https://, or http:// only for a local emulator (127.0.0.1).`,
    );
  }
  if (base.username || base.password) {
    throw new ConfigError(
      `The base URL must not contain a user name or password (${base.protocol}//…@${base.host}): give the key with SLNG_API_KEY or --api-key, and the URL as ${base.protocol}//${base.host}.`,
    );
  }
  if (/\/v1(\/batch(\/jobs)?)?\/*$/.test(base.pathname)) {
    throw new ConfigError(
      `The base URL is the API's root, without ${base.pathname.replace(/\/+$/, "")}: use ${base.origin}${base.pathname.replace(/\/v1(\/batch(\/jobs)?)?\/*$/, "")}.`,
    );
  }
  const baseUrl = base.toString().replace(/\/+$/, "");
  if (apiKey !== undefined && !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigError(
      `The API key ${flags.apiKey !== undefined ? `(${keyFlag})` : "(SLNG_API_KEY)"} contains spaces, control or non-ASCII characters, which cannot be sent: copy the key again, exactly as issued.`,
    );
  }
  if (apiKey) return { apiKey, baseUrl, demoKey: false };
  if (rawBase && isLoopbackUrl(base)) return { apiKey: EMULATOR_DEMO_KEY, baseUrl, demoKey: true };
  throw new ConfigError(
    [
      "No API key. Set one of:",
      "  export SLNG_API_KEY=<your key>     (or pass --api-key-file <path>, or - to read it from stdin)",
      "  export SLNG_BASE_URL=http://127.0.0.1:<port>   to use a local emulator (slng-batch emulator)",
      "To try slng-batch without a key or network, run:  slng-batch demo",
    ].join("\n"),
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value.trim() : undefined;
}

/** Removes every occurrence of `secret` from `text` (defence in depth for error output). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}
