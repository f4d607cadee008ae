/**
 * A child process for bench/client-poll-cpu.bench.mjs: reads one job every `interval` ms,
 * forever, in one of these ways: `idle` (no request: the timer alone), `fetch` (global fetch +
 * `res.json()`), `http` (`node:http` GET on a keep-alive agent + `JSON.parse`) or `client`
 * (`@slng/client`'s `jobs.get`, global fetch).
 * Usage: node poll-loop.mjs <mode> <baseUrl> <jobId> <apiKey> <intervalMs>
 */
import http from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const [mode, baseUrl, jobId, apiKey, interval] = process.argv.slice(2);
const url = `${baseUrl}/v1/batch/jobs/${jobId}`;
const headers = { Authorization: `Bearer ${apiKey}` };

async function reader() {
  if (mode === "idle") return async () => {};
  if (mode === "fetch") return async () => (await fetch(url, { headers })).json();
  if (mode === "http") {
    const agent = new http.Agent({ keepAlive: true });
    return () =>
      new Promise((resolve, reject) => {
        http
          .get(url, { headers, agent }, (res) => {
            const body = [];
            res.on("data", (c) => body.push(c));
            res.on("end", () => resolve(JSON.parse(Buffer.concat(body).toString())));
          })
          .on("error", reject);
      });
  }
  const { createSlngClient } = await import(pathToFileURL(join(root, "packages/client/dist/node.js")).href);
  const slng = createSlngClient({ apiKey, baseUrl });
  return () => slng.jobs.get(jobId);
}

const read = await reader();
for (;;) {
  await read();
  await new Promise((r) => setTimeout(r, Number(interval)));
}
