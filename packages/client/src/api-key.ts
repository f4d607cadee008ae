import { SlngValidationError } from "./errors.js";

const what = (code: number) =>
  code === 10 || code === 13
    ? "a line break"
    : code === 32 || code === 9
      ? "a space"
      : code < 32 || code === 127
        ? "a control character"
        : "a non-ASCII character";

/**
 * The API key as it will be sent in `Authorization: Bearer <key>`: surrounding whitespace (say,
 * the newline of a key read from a file) is trimmed; a missing key, or one with anything but
 * visible ASCII left inside, is refused with {@link SlngValidationError} before any request —
 * the message says where the bad character is, never the key.
 */
export function checkApiKey(raw: string | undefined): string {
  const key = typeof raw === "string" ? raw.trim() : "";
  if (!key)
    throw new SlngValidationError("No API key: pass apiKey or set the SLNG_API_KEY environment variable", "apiKey");
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 33 || code > 126)
      throw new SlngValidationError(
        `The API key contains ${what(code)} at position ${i + 1} of ${key.length}, which cannot be sent in an HTTP header: check the key (copy it again, or remove what was pasted with it)`,
        "apiKey",
      );
  }
  return key;
}
