import { createHmac, timingSafeEqual } from "node:crypto";

/** Parameters of a signed storage URL, S3-style (`X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Signature`). */
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

/** Signs and verifies the emulator's storage URLs: HMAC-SHA256 over method, key, issue time, expiry and signed content type. */
export class Signer {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  #mac(method: string, key: string, date: string, expires: string, contentType: string): string {
    return createHmac("sha256", this.#secret)
      .update(`${method}\n${key}\n${date}\n${expires}\n${contentType}`)
      .digest("hex");
  }

  /** A signed URL on `origin` for `/storage/<key>`. */
  sign(origin: string, p: SignedUrlParams): string {
    const date = amzDate(p.issuedAt);
    const expires = String(p.expiresIn);
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "SLNG-EMULATOR-HMAC-SHA256",
      "X-Amz-Date": date,
      "X-Amz-Expires": expires,
      ...(p.method === "PUT" ? { "X-Amz-SignedHeaders": "content-type" } : {}),
      "X-Amz-Signature": this.#mac(p.method, p.key, date, expires, p.contentType ?? ""),
    });
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
    const date = query.get("X-Amz-Date");
    const expires = query.get("X-Amz-Expires");
    const signature = query.get("X-Amz-Signature");
    if (!date || !expires || !signature) {
      return "Request is not signed: use the exact URL the API returned (X-Amz-Date, X-Amz-Expires and X-Amz-Signature are required).";
    }
    const issued = parseAmzDate(date);
    if (issued === undefined || !/^\d{1,7}$/.test(expires)) return "Malformed signature parameters.";
    const signedType = method === "PUT" ? contentType : "";
    const expected = Buffer.from(this.#mac(method, key, date, expires, signedType), "utf8");
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
