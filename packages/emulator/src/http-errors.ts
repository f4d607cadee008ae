import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { newRequestId, REQUEST_ID_HEADER } from "./request-id.js";

const MESSAGES: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request header fields too large: the request line and headers may total at most 16 KB"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Chunk extensions too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request timeout: the request was not received in time"],
};

/**
 * Answers a request Node's HTTP parser refused (malformed request line or headers, headers over
 * the limit, a timeout) with the API's `{"error"}` envelope instead of Node's empty default,
 * then closes the connection. Like Node, it writes nothing when a response is already under
 * way on the socket or the peer is gone.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code !== "ECONNRESET" && socket.writable && !inFlight?.headersSent) {
    const [status, message] = MESSAGES[err.code ?? ""] ?? [
      400,
      "Malformed HTTP request: the request line or headers could not be parsed",
    ];
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${REQUEST_ID_HEADER}: ${newRequestId()}\r\n\r\n${body}`,
    );
    socket.once("finish", () => socket.destroy());
    return;
  }
  socket.destroy();
}
