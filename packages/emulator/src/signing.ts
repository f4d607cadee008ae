import { createHmac, timingSafeEqual } from "node:crypto";

/** Parameters of a signed storage URL, S3-style (`X-Amz-Algorithm`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`). */
export interface SignedUrlParams {
  method: "GET" | "PUT";
  key: string;
  /** Issue time, ms since epoch. */
  issuedAt: number;
  expiresIn: number;
  /** Content-Type the PUT must carry (signed, like S3's signed headers). */
  contentType?: string;
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

/** The one algorithm the emulator signs with (`X-Amz-Algorithm`). */
export const SIGNING_ALGORITHM = "SLNG-EMULATOR-HMAC-SHA256";

const signedHeadersOf = (method: "GET" | "PUT") => (method === "PUT" ? "content-type;host" : "host");

/** Every parameter but the signature, sorted and encoded: what the signature covers. */
function canonicalQuery(query: URLSearchParams): string {
  return [...query]
    .filter(([k]) => k !== "X-Amz-Signature")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join("&");
}

/**
 * Signs and verifies the emulator's storage URLs: HMAC-SHA256 over the method, the key, the whole
 * canonical query (every parameter but the signature, so none can be added, removed, changed or
 * repeated) and the signed header (the PUT's Content-Type).
 */
export class Signer {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  #mac(method: string, key: string, query: URLSearchParams, contentType: string): string {
    return createHmac("sha256", this.#secret)
      .update(`${method}\n${key}\n${canonicalQuery(query)}\n${contentType}`)
      .digest("hex");
  }

  /** A signed URL on `origin` for `/storage/<key>`. */
  sign(origin: string, p: SignedUrlParams): string {
    const query = new URLSearchParams({
      "X-Amz-Algorithm": SIGNING_ALGORITHM,
      "X-Amz-Date": amzDate(p.issuedAt),
      "X-Amz-Expires": String(p.expiresIn),
      "X-Amz-SignedHeaders": signedHeadersOf(p.method),
    });
    query.set("X-Amz-Signature", this.#mac(p.method, p.key, query, p.contentType ?? ""));
    return `${origin}/storage/${p.key}?${query.toString()}`;
  }

  /**
   * Checks a storage request's signature. Returns `undefined` when valid, else a user-presentable
   * reason (the caller answers 403 with it).
   */
  verify(
    method: "GET" | "PUT",
    key: string,
    query: URLSearchParams,
    now: number,
    contentType: string,
  ): string | undefined {
    const repeated = [...new Set(query.keys())].find((k) => query.getAll(k).length > 1);
    if (repeated !== undefined)
      return `Malformed signed URL: the parameter ${repeated.slice(0, 40)} appears more than once; use the exact URL the API returned.`;
    const date = query.get("X-Amz-Date");
    const expires = query.get("X-Amz-Expires");
    const signature = query.get("X-Amz-Signature");
    if (!date || !expires || !signature) {
      return "Request is not signed: use the exact URL the API returned (X-Amz-Date, X-Amz-Expires and X-Amz-Signature are required).";
    }
    if (query.get("X-Amz-Algorithm") !== SIGNING_ALGORITHM)
      return `Unsupported or missing X-Amz-Algorithm: the URL must be signed with ${SIGNING_ALGORITHM}, as the API returned it.`;
    if (query.get("X-Amz-SignedHeaders") !== signedHeadersOf(method))
      return `X-Amz-SignedHeaders must be ${signedHeadersOf(method)}, as the API returned it.`;
    const issued = parseAmzDate(date);
    if (issued === undefined || !/^\d{1,7}$/.test(expires)) return "Malformed signature parameters.";
    const expected = Buffer.from(this.#mac(method, key, query, method === "PUT" ? contentType : ""), "utf8");
    const given = Buffer.from(signature, "utf8");
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return method === "PUT"
        ? "The request signature does not match: PUT to the exact upload.url with exactly the upload.headers (Content-Type) from the presign response."
        : "The request signature does not match: use the exact download_url the API returned.";
    }
    if (now > issued + Number(expires) * 1000) return "Request has expired: ask the API for a new URL.";
    return undefined;
  }
}

/** Replaces signed-URL signatures in a log line with `REDACTED`. */
export function redactSignatures(text: string): string {
  return text.replace(/(X-Amz-Signature=)[^&\s]*/gi, "$1REDACTED");
}
