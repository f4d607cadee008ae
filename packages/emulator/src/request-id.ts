import { randomUUID } from "node:crypto";

/** Response header carrying the id of each answer, as gateways in front of real APIs send. */
export const REQUEST_ID_HEADER = "x-request-id";

/** A fresh request id (a random UUID): unique per answer, for a user to quote in a report. */
export function newRequestId(): string {
  return randomUUID();
}
