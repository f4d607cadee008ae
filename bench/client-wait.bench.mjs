#!/usr/bin/env node
/**
 * Polls used and detection delay of `slng.jobs.wait` against fixed 3-second polling (the
 * Speechmatics/AssemblyAI default), on the same emulator jobs, run side by side in real time.
 * Detection delay = when the waiter saw DONE − the job's completed_at.
 * Strategies: fixed 3 s; `wait` cold (a fresh client: it predicts the end from the stages the
 * job has been through); `wait` warm (the client has seen one job of 40 s finish and learned the
 * processing rate and the stages' shares).
 * Run after `pnpm build`: node bench/client-wait.bench.mjs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSlngClient } from "../packages/client/dist/node.js";
import { createEmulator, createSampleWav } from "../packages/emulator/dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const KEY = "benchWaitKey";
const RTF = 0.25;
/** The warm client first waits one job of this length (processing ≥ 5 s, so it learns the rate). */
const LEARN_SECONDS = 40;
const emu = createEmulator({ apiKeys: [KEY], rtf: RTF, minStageMs: 400 });
const counters = new Map();
const counting = (name) => async (r) => {
  if (r.method === "GET") counters.set(name, (counters.get(name) ?? 0) + 1);
  return emu.fetch(r);
};
const mk = (name) => createSlngClient({ apiKey: KEY, baseUrl: "http://emulator.test", fetch: counting(name) });
const submitter = createSlngClient({ apiKey: KEY, baseUrl: "http://emulator.test", fetch: emu.fetch });

async function fixed3s(client, jobId) {
  for (;;) {
    const job = await client.jobs.get(jobId);
    if (job.status === "DONE" || job.status === "FAILED") return job;
    await new Promise((r) => setTimeout(r, 3000));
  }
}

const submit = async (seconds) =>
  (await submitter.jobs.create({ file: createSampleWav({ seconds }), filename: "a.wav" })).job_id;

const strategies = {
  "fixed 3 s": async (client, seconds) => fixed3s(client, await submit(seconds)),
  "wait (cold)": async (client, seconds) => client.jobs.wait(await submit(seconds)),
  "wait (warm, learned rate)": async (client, seconds, key) => {
    await client.jobs.wait(await submit(LEARN_SECONDS));
    counters.set(key, 0);
    return client.jobs.wait(await submit(seconds));
  },
};

const durations = [7.3, 23.1, 58.7, 121.9];
const rows = [];
await Promise.all(
  durations.flatMap((seconds) =>
    Object.entries(strategies).map(async ([name, run]) => {
      const key = `${name}/${seconds}`;
      const job = await run(mk(key), seconds, key);
      const seen = Date.now();
      rows.push({
        seconds,
        name,
        processing: (Date.parse(job.completed_at) - Date.parse(job.submitted_at)) / 1000,
        polls: counters.get(key) ?? 0,
        delay: (seen - Date.parse(job.completed_at)) / 1000,
      });
    }),
  ),
);
await emu.close();

rows.sort((a, b) => a.seconds - b.seconds || a.name.localeCompare(b.name));
const lines = [
  "# @slng/client — `wait` vs fixed 3-second polling",
  "",
  `Measured ${new Date().toISOString()}: emulator in-process, rtf ${RTF}, 400 ms minimum per stage; three jobs per audio length, one per strategy, run at the same time. Polls = GET requests of that strategy (the warm client's learning job, ${LEARN_SECONDS} s of audio, excluded).`,
  "",
  "| audio (s) | processing (s) | strategy | polls | detection delay (s) |",
  "| ---: | ---: | --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.seconds} | ${r.processing.toFixed(1)} | ${r.name} | ${r.polls} | ${r.delay.toFixed(2)} |`),
  "",
];
const sum = (name, f) => rows.filter((r) => r.name === name).reduce((n, r) => n + f(r), 0);
for (const name of ["fixed 3 s", "wait (cold)", "wait (warm, learned rate)"])
  lines.push(
    `- ${name}: ${sum(name, (r) => r.polls)} polls in total, mean detection delay ${(sum(name, (r) => r.delay) / durations.length).toFixed(2)} s`,
  );
const fixedPolls = sum("fixed 3 s", (r) => r.polls);
const fixedDelay = sum("fixed 3 s", (r) => r.delay);
const coldPolls = sum("wait (cold)", (r) => r.polls);
const coldDelay = sum("wait (cold)", (r) => r.delay);
lines.push(
  "",
  `Goal (cold, against fixed 3 s in this run): fewer polls — ${coldPolls} vs ${fixedPolls} ${coldPolls < fixedPolls ? "✓" : "✗"}; at most half the delay — ${(coldDelay / durations.length).toFixed(2)} s vs ${(fixedDelay / durations.length / 2).toFixed(2)} s ${coldDelay <= fixedDelay / 2 ? "✓" : "✗"}.`,
  "",
  "Before the stage-aware schedule (2026-11-28, same bench): cold 30 polls / 1.24 s, warm 23 polls / 0.04 s, fixed 3 s 23 polls / 0.88 s.",
);
lines.push("");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "client-wait.md"), lines.join("\n"));
console.log(lines.join("\n"));
