// Levelled logging: `logLevel` (or SLNG_LOG=debug) and any console-compatible logger. Keys and
// signed-URL signatures are redacted at every level.
// Run: SLNG_API_KEY=… [SLNG_BASE_URL=…] node examples/logging.mjs
import { createSlngClient } from "@slng/client";

const slng = createSlngClient({
  logLevel: "debug", // off | error | warn | info | debug
  logger: {
    error: (m) => console.error(`[slng error] ${m}`),
    warn: (m) => console.error(`[slng warn] ${m}`),
    info: (m) => console.error(`[slng info] ${m}`),
    debug: (m) => console.error(`[slng debug] ${m}`),
  },
});
const page = await slng.jobs.listPage({ pageSize: 1 });
console.log(`${page.meta.total} job(s); the log lines above went to stderr`);
