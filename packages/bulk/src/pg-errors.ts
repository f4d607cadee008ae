import { BulkStoreError } from "./shared-store.js";
import { messageOf } from "./util.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when `e` means the database cannot be reached right now (down, restarting, network): wait and retry. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  return /Connection terminated|connection ended|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    messageOf(e),
  );
}

/**
 * True when the server aborted a statement to break a lock conflict (deadlock, serialization):
 * nothing of it was applied, and running it again is safe.
 */
export function isLockConflict(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === "40P01" || code === "40001";
}

/** `postgres://user@host:port/db` of a connection URL, without password or query (safe to print). */
export function redactStoreUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : "";
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "(an unreadable URL)";
  }
}

const HINTS: Record<string, string> = {
  "28P01": "the password was refused",
  "28000": "the user is not allowed to connect",
  "3D000": "the database does not exist",
  ECONNREFUSED: "nothing answers at that host and port",
  ENOTFOUND: "the host name does not resolve",
};

/**
 * A clear error for a store that cannot be opened: names the URL without its password, says
 * what is wrong, and how to fix it. The driver's own message is kept only when it cannot hold the password.
 */
export function openError(url: string, e: unknown, secret: string | undefined): BulkStoreError {
  const code = String((e as { code?: unknown })?.code ?? "");
  let why = HINTS[code] ?? messageOf(e);
  if (secret && why.includes(secret)) why = why.split(secret).join("***");
  return new BulkStoreError(
    `cannot open the bulk store ${redactStoreUrl(url)}: ${why}. Check the URL and password in --store or SLNG_BULK_STORE`,
  );
}
