// Proxies (Node): the client honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl does (CONNECT
// for https), for API calls, uploads and downloads; `proxy` (a URL, or false) overrides them.
// To be runnable anywhere, this script starts its own tiny forward proxy on loopback and shows
// what passes through it. With a real proxy: `HTTPS_PROXY=http://proxy.corp:3128 node app.mjs`.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/proxy.mjs
import { createServer, request } from "node:http";
import { connect } from "node:net";
import { createSlngClient } from "@slng/client";

const seen = [];
const proxy = createServer((req, res) => {
  seen.push(`${req.method} ${req.url.replace(/\?.*/, "?…")}`);
  const upstream = request(req.url, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(upstream);
});
proxy.on("connect", (req, socket) => {
  seen.push(`CONNECT ${req.url}`);
  const [host, port] = req.url.split(":");
  const upstream = connect(Number(port), host, () => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    upstream.pipe(socket).pipe(upstream);
  });
  upstream.on("error", () => socket.destroy());
});
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));

const slng = createSlngClient({ proxy: `http://127.0.0.1:${proxy.address().port}` });
const page = await slng.jobs.listPage({ pageSize: 1 });
console.log(`${page.meta.total} job(s), through the proxy:`);
for (const line of seen) console.log(`  ${line}`);
proxy.close();
