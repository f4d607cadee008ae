#!/usr/bin/env node
/**
 * Peak RSS of the emulator process while a 1 GB file is uploaded, by multipart and by
 * presigned PUT, against the emulator's own idle RSS (the baseline). Goal: peak < 200 MB.
 *
 * The emulator runs as a child process (`packages/emulator/dist/bin.js`, build first); this
 * process streams the file with node:http (fetch would buffer the body) and samples the child's
 * VmRSS from /proc every 10 ms. The 1 GB WAV is sparse (header + zeros) in bench/.tmp and is
 * deleted afterwards. Writes bench/results/emulator-upload.md.
 */
import {
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "./lib/emulator-process.mjs";
import { wavHeader } from "./lib/wav.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, ".tmp");
const file = join(tmp, "emulator-upload-1gb.wav");
const SIZE = 1024 ** 3; // exactly the API's limit (1 GB = 1073741824 bytes)
const KEY = "bench-key";
const MB = 1024 * 1024;

function makeWav() {
  mkdirSync(tmp, { recursive: true });
  const header = wavHeader(SIZE - 44);
  const fd = openSync(file, "w");
  writeSync(fd, header, 0, 44, 0);
  closeSync(fd);
  // sparse: extend to 1 GB without writing the zeros
  truncateSync(file, SIZE);
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Step 1 of the presign flow: asks for an upload URL for a 1 GB WAV. */
function presignStep(url) {
  return api(url, "/v1/batch/jobs", {
    method: "POST",
    body: JSON.stringify({ mode: "presign", filename: "big.wav", content_type: "audio/wav", transcription_config: {} }),
  });
}

function sampler(pid) {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {}
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

function send(url, method, headers, parts) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers });
    let answered = false;
    let sent = 0;
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode, body, sent }));
    });
    // A server that refuses early may close while the body is still going: that is not an error here.
    req.on("error", (e) => !answered && reject(e));
    const drained = () => new Promise((r) => (req.destroyed ? r() : req.once("drain", r).once("close", r)));
    (async () => {
      for (const part of parts) {
        if (answered || req.destroyed) break;
        if (typeof part === "string" || Buffer.isBuffer(part)) {
          sent += part.length;
          if (!req.write(part)) await drained();
        } else {
          for await (const chunk of part()) {
            if (answered || req.destroyed) break;
            sent += chunk.length;
            if (!req.write(chunk)) await drained();
          }
        }
      }
      if (!answered && !req.destroyed) req.end();
    })().catch((e) => !answered && reject(e));
  });
}

async function api(url, path, init = {}) {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
  });
  return { status: res.status, body: await res.json() };
}

async function waitDone(url, id) {
  for (;;) {
    const r = await api(url, `/v1/batch/jobs/${id}`);
    if (r.body.status === "DONE" || r.body.status === "FAILED") return r.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measure(label, pid, fn) {
  global.gc?.();
  const s = sampler(pid);
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  const peak = s.stop();
  return { label, peak, seconds, result };
}

async function main() {
  makeWav();
  const { child, url } = await startEmulator(KEY);
  const results = [];
  let idle = 0;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    await api(url, "/v1/batch/jobs");
    await new Promise((r) => setTimeout(r, 500));
    idle = rssOf(child.pid);

    const boundary = "----slngbench";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="transcription_config"\r\n\r\n{"language":"en"}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const multipart = await measure("multipart upload (POST /v1/batch/jobs)", child.pid, async () => {
      const r = await send(
        `${url}/v1/batch/jobs`,
        "POST",
        {
          authorization: `Bearer ${KEY}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": Buffer.byteLength(head) + SIZE + Buffer.byteLength(tail),
        },
        [head, () => createReadStream(file, { highWaterMark: MB }), tail],
      );
      if (r.status !== 202) throw new Error(`multipart upload answered ${r.status}: ${r.body}`);
      return JSON.parse(r.body);
    });
    results.push(multipart);
    const job1 = await waitDone(url, multipart.result.job_id);

    const step1 = await presignStep(url);
    const presign = await measure("presigned PUT (storage)", child.pid, async () => {
      const r = await send(step1.body.upload.url, "PUT", { "content-type": "audio/wav", "content-length": SIZE }, [
        () => createReadStream(file, { highWaterMark: MB }),
      ]);
      if (r.status !== 200) throw new Error(`PUT answered ${r.status}: ${r.body}`);
      const done = await api(url, "/v1/batch/jobs", {
        method: "POST",
        body: JSON.stringify({ s3_key: step1.body.upload.s3_key, job_id: step1.body.job_id, transcription_config: {} }),
      });
      if (done.status !== 202) throw new Error(`presign completion answered ${done.status}`);
      return done.body;
    });
    results.push(presign);
    const job2 = await waitDone(url, presign.result.job_id);

    const step1b = await presignStep(url);
    const refused = await measure(
      "refused: 1 GB + 4 MB presigned PUT, chunked (no Content-Length)",
      child.pid,
      async () => {
        const extra = Buffer.alloc(MB);
        const r = await send(
          step1b.body.upload.url,
          "PUT",
          { "content-type": "audio/wav", "transfer-encoding": "chunked" },
          [() => createReadStream(file, { highWaterMark: MB }), extra, extra, extra, extra],
        );
        if (r.status !== 413) throw new Error(`oversized PUT answered ${r.status}: ${r.body}`);
        return r;
      },
    );
    results.push(refused);
    for (const [r, job] of [
      [multipart, job1],
      [presign, job2],
    ]) {
      r.meta = job.input_metadata;
      await api(url, `/v1/batch/jobs/${job.job_id}`, { method: "DELETE" });
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(file, { force: true });
  }

  const mb = (b) => (b / MB).toFixed(1);
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${mb(idle)} | ${mb(r.peak)} | ${mb(r.peak - idle)} | ${r.seconds.toFixed(1)} | ${(SIZE / MB / r.seconds).toFixed(0)} | ${r.peak < 200 * MB ? "yes" : "NO"} |`,
  );
  const report = `# emulator-upload: peak RSS of the emulator during a 1 GB upload

Run: ${new Date().toISOString()} · Node ${process.version} · ${process.platform}/${process.arch}

The emulator (\`packages/emulator/dist/bin.js\`) runs in its own process; this script streams a
1 GB (1073741824-byte, the API's limit) sparse WAV to it with node:http and samples the emulator's
VmRSS every 10 ms. Baseline: the same emulator process idle, just before the upload.

| upload | idle RSS (baseline, MB) | peak RSS (MB) | peak − idle (MB) | seconds | MB/s | peak < 200 MB |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

Input measured by the emulator: ${results
    .filter((r) => r.meta)
    .map((r) => `${r.label.split(" ")[0]} → ${r.meta.size_bytes} bytes, ${r.meta.duration_seconds} s, ${r.meta.format}`)
    .join("; ")}. The refused upload got \`413 ${JSON.parse(results[2]?.result.body ?? "{}").error}\` after the
client had sent ${results[2] ? (results[2].result.sent / MB).toFixed(0) : "?"} MB.
`;
  writeFileSync(join(here, "results/emulator-upload.md"), report);
  console.log(report);
  if (results.some((r) => r.peak >= 200 * MB)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  rmSync(file, { force: true });
  process.exit(1);
});
