/**
 * The watch view's loading frame (the job id as its header, a spinner and "loading job…"),
 * drawn with plain writes while Ink loads (~0.2 s on Node 20), so the view's first frame does
 * not wait for Ink. It is what the Ink view itself draws before the job has arrived; Ink's first
 * frame replaces it after {@link eraseFirstFrame}.
 */
export function firstFrame(jobId: string, color: boolean): string {
  if (!color) return `${jobId}\n◐ loading job…`;
  return `\u001b[1m\u001b[36m${jobId}\u001b[39m\u001b[22m\n\u001b[2m◐ loading job…\u001b[22m`;
}

/** Clears the lines {@link firstFrame} wrote and puts the cursor where the frame began. */
export function eraseFirstFrame(): string {
  return "\r\u001b[2K\u001b[1A\u001b[2K";
}
