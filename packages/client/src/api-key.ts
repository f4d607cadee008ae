import { SlngValidationError } from "./errors.js";

/**
 * The API key as it will be sent in `Authorization: Bearer <key>`: surrounding whitespace (say,
 * the newline of a key read from a file) is trimmed; a missing key, or one with anything but
 * visible ASCII left inside (a line break, space, control or non-ASCII character), is refused
 * with {@link SlngValidationError} before any request — the message says where the bad
 * character is, never the key.
 */
export function checkApiKey(raw: string | undefined): string {
  const key = typeof raw === "string" ? raw.trim() : "";
  if (!key)
    throw new SlngValidationError("No API key: pass apiKey or set the SLNG_API_KEY environment variable", "apiKey");
  const at = key.search(/[^!-~]/);
  if (at >= 0)
    throw new SlngValidationError(
      `The API key has a character an HTTP header cannot carry (line break, space, control or non-ASCII) at position ${at + 1} of ${key.length}: copy the key again`,
      "apiKey",
    );
  return key;
}
