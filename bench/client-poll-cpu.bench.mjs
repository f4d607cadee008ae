#!/usr/bin/env node
/**
 * CPU per poll of an idle `slng-batch watch` (a job that does not change, polled every 3 s)
 * against bare loops that read the same job every 3 s, in the same run: the timer alone, the
 * global fetch, `node:http`, and `@slng/client`'s `jobs.get`. Each runs in its own process; CPU
 * of all its threads (/proc schedstat, ns) in two windows: "early" (4–24 s after start, like
 * tui-idle-cpu.bench.mjs) and "steady" (30–60 s); polls counted at the emulator (its request
 * log), rounds interleaved, medians reported. CPU per poll is the process's CPU in the window,
 * less the idle process's, divided by its polls.
 * Build first (`pnpm build`). Options: `--rounds N` (default 2); `--before <older cli.js>` adds a
 * row for another build of the CLI.
 * Writes bench/results/client-poll-cpu.md.
 */
import { execSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const INTERVAL_MS = 3000;
/** [start, end] of each window, in ms after the process starts. */
const WINDOWS = { early: [4000, 24_000], steady: [30_000, 60_000] };
const roundsAt = process.argv.indexOf("--rounds");
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 2;
const TICKS = Number(execSync("getconf CLK_TCK").toString().trim() || 100);
const beforeAt = process.argv.indexOf("--before");
const beforeCli = beforeAt > 0 ? process.argv[beforeAt + 1] : undefined;

const { createEmulator, createSampleWav, DEFAULT_API_KEY } = await import(
  pathToFileURL(join(root, "packages/emulator/dist/index.js")).href
);
const { createSlngClient } = await import(pathToFileURL(join(root, "packages/client/dist/node.js")).href);
let gets = 0;
const emulator = createEmulator({
  rtf: 1000,
  minStageMs: 0,
  logger: (l) => (gets += /^GET \S*\/jobs\/\w+ ->/.test(l)),
});
const { url } = await emulator.listen({ host: "127.0.0.1", port: 0 });
const slng = createSlngClient({ apiKey: DEFAULT_API_KEY, baseUrl: url });
const { job_id } = await slng.jobs.create({ file: createSampleWav({ seconds: 60 }), filename: "idle.wav" });

/** CPU seconds of every thread of `pid` so far, in ns resolution (schedstat), else clock ticks (stat). */
function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
    return ns / 1e9;
  } catch {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / TICKS;
  }
}

const env = { ...process.env, SLNG_BASE_URL: url, SLNG_API_KEY: DEFAULT_API_KEY };
const loop = (mode) => [join(here, "lib/poll-loop.mjs"), mode, url, job_id, DEFAULT_API_KEY, String(INTERVAL_MS)];
const subjects = [
  ["idle", "idle: a 3 s timer, no request (baseline)", loop("idle")],
  ["fetch", "global `fetch` + `res.json()` every 3 s", loop("fetch")],
  ["http", "`node:http` GET (keep-alive agent) + `JSON.parse` every 3 s", loop("http")],
  ["client", "`@slng/client` `jobs.get` every 3 s (global fetch)", loop("client")],
  [
    "watch",
    "`slng-batch watch <id>` without a terminal (line output)",
    [join(root, "apps/tui/dist/cli.js"), "watch", job_id],
  ],
  ...(beforeCli
    ? [["before", `the same, older build (${beforeCli.replace(root, ".")})`, [beforeCli, "watch", job_id]]]
    : []),
];

const sleepUntil = (t0, ms) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - performance.now())));

/** Runs one subject and samples its CPU and the emulator's GET count at each window's ends. */
async function measure(args) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: "ignore" });
  const result = {};
  for (const [name, [from, to]] of Object.entries(WINDOWS)) {
    await sleepUntil(t0, from);
    const c0 = cpuSeconds(child.pid);
    const g0 = gets;
    const s0 = performance.now();
    await sleepUntil(t0, to);
    result[name] = { cpu: cpuSeconds(child.pid) - c0, seconds: (performance.now() - s0) / 1000, polls: gets - g0 };
  }
  child.kill("SIGINT");
  await new Promise((r) => child.once("exit", r));
  return result;
}

const runs = Object.fromEntries(subjects.map(([k]) => [k, []]));
for (let round = 0; round < ROUNDS; round++) for (const [key, , args] of subjects) runs[key].push(await measure(args));
await emulator.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function row(key, w) {
  const rs = runs[key].map((r) => r[w]);
  const idleRate = median(runs.idle.map((r) => r[w].cpu / r[w].seconds));
  const pct = median(rs.map((r) => (100 * r.cpu) / r.seconds));
  const perPoll = median(rs.map((r) => ((r.cpu - idleRate * r.seconds) * 1000) / r.polls));
  return {
    pct,
    perPoll: key === "idle" ? "—" : perPoll.toFixed(1),
    polls: key === "idle" ? "—" : median(rs.map((r) => r.polls)),
  };
}
const table = subjects
  .map(([key, label]) => {
    const e = row(key, "early");
    const s = row(key, "steady");
    return `| ${label} | ${e.pct.toFixed(2)}% | ${e.perPoll} | ${s.pct.toFixed(2)}% | ${s.perPoll} | ${e.polls} / ${s.polls} |`;
  })
  .join("\n");
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const md = `# client-poll-cpu

CPU of polling a job that does not change (QUEUED, rtf 1000), every ${INTERVAL_MS / 1000} s, each subject in its own
Node process: CPU of all its threads (/proc/<pid>/task/*/schedstat, ns) in two windows, "early" (4–24 s after
start, as tui-idle-cpu measures) and "steady" (30–60 s); GETs counted at the emulator (in the bench's
process); ${ROUNDS} interleaved round(s), medians. "ms/poll" is the process's CPU less the idle baseline's over
the same time, divided by its polls. Node ${process.version}, ${process.platform}/${process.arch}, 2 cores; load
average at the end ${load} (other agents share the machine).

| process | early: % of a core | early: ms/poll | steady: % of a core | steady: ms/poll | polls early / steady |
| --- | --- | --- | --- | --- | --- |
${table}

Read with the notes in bench/results/client-poll-cpu-notes.md (where a poll's CPU goes, and what did
not help).
`;
writeFileSync(join(here, "results/client-poll-cpu.md"), md);
console.log(md);
