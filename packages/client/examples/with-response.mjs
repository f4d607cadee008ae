// `.withResponse()`: the data together with the raw Response and the server's request id, on
// the object client and the standalone functions alike.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/with-response.mjs
import { createSlngClient, createSlngCore, listJobsPage } from "@slng/client";

const slng = createSlngClient();
const { data, response, requestId } = await slng.jobs.listPage({ pageSize: 1 }).withResponse();
console.log(`status ${response.status}, request id ${requestId ?? "(none sent)"}, ${data.meta.total} job(s)`);
console.log(`rate limit left: ${response.headers.get("x-ratelimit-remaining") ?? "(not sent)"}`);

const core = createSlngCore();
const page = await listJobsPage(core, { pageSize: 1 }).withResponse();
console.log(`standalone: status ${page.response.status}, content-type ${page.response.headers.get("content-type")}`);
