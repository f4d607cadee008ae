/** A spinner frame derived from the clock's time (no timer of its own). */
export function spinnerFrame(now: number, intervalMs = 1000): string {
  const frames = ["◐", "◓", "◑", "◒"];
  return frames[Math.floor(now / intervalMs) % frames.length] ?? "◐";
}
