import { spawnSync } from "node:child_process";

/**
 * The baseline upload of the upload benches: presign with the API, then `curl -T` the file to
 * the upload URL with exactly the returned headers (what a shell script would do). Returns the
 * PUT's wall time and curl's peak RSS (from /usr/bin/time).
 */
export async function curlPresignedUpload(url, key, file) {
  const res = await fetch(`${url}/v1/batch/jobs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      mode: "presign",
      filename: "curl.wav",
      content_type: "audio/wav",
      transcription_config: {},
    }),
  });
  const p = await res.json();
  const headers = Object.entries(p.upload.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const t0 = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%M", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", file, ...headers, p.upload.url],
    { encoding: "utf8" },
  );
  const ms = performance.now() - t0;
  if (!r.stdout.startsWith("2")) throw new Error(`curl PUT answered ${r.stdout} ${r.stderr}`);
  return { ms, maxRssKB: Number(r.stderr.trim().split("\n").at(-1)) };
}
