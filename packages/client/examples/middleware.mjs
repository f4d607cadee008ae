// Tracing middleware: sees every HTTP exchange (API and storage, each attempt), adds a trace id
// header and times each one. The API key is added after onRequest, and never sent to storage.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/middleware.mjs
import { createSlngClient } from "@slng/client";

const started = new WeakMap();
const tracing = {
  onRequest({ request }) {
    request.headers.set("x-trace-id", crypto.randomUUID());
    started.set(request, performance.now());
  },
  onResponse({ request, response, target, attempt }) {
    const ms = (performance.now() - started.get(request)).toFixed(1);
    const path = new URL(request.url).pathname;
    console.log(
      `${target.padEnd(7)} ${request.method} ${path} → ${response.status} in ${ms} ms (attempt ${attempt + 1})`,
    );
  },
  onError({ request, error }) {
    console.log(`failed: ${request.method} ${new URL(request.url).pathname}: ${error}`);
  },
};

const slng = createSlngClient({ middleware: [tracing] });
// Half a second of silence as a WAV file (44-byte header + 16-bit mono samples at 8 kHz).
const samples = 4000;
const wav = new Uint8Array(44 + samples * 2);
const v = new DataView(wav.buffer);
const ascii = (at, text) => {
  for (let i = 0; i < text.length; i++) v.setUint8(at + i, text.charCodeAt(i));
};
ascii(0, "RIFF");
v.setUint32(4, 36 + samples * 2, true);
ascii(8, "WAVEfmt ");
v.setUint32(16, 16, true);
v.setUint16(20, 1, true);
v.setUint16(22, 1, true);
v.setUint32(24, 8000, true);
v.setUint32(28, 16000, true);
v.setUint16(32, 2, true);
v.setUint16(34, 16, true);
ascii(36, "data");
v.setUint32(40, samples * 2, true);

const { job_id } = await slng.jobs.create({ file: wav, filename: "silence.wav", upload: "presign" });
console.log(`created ${job_id} (presign, upload PUT, create: all traced)`);
