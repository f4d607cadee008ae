import { stat, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { isJobStatus, isOutputFormat, JOB_STATUSES, type JobSortField, type JobStatus, SORT_FIELDS } from "@slng/types";
import { filterFor, sortFor } from "../components/dashboard.js";
import { DashboardScreen } from "../components/dashboard-screen.js";
import { type ParsedCommand, UsageError } from "../lib/args.js";
import { redactSignedUrl } from "../lib/config.js";
import { classifyError } from "../lib/errors.js";
import { EXIT, type ExitCode } from "../lib/exit-codes.js";
import { fit, formatAge, formatAudioSeconds, isoStamp, parseTime } from "../lib/format.js";
import { runInk } from "../lib/ink-runner.js";
import { type ApiFactory, type Io, printError } from "../lib/io.js";
import { outputSaver } from "../lib/save-outputs.js";
import { checkJobId } from "./watch.js";

/** Whether a file (or anything) is at `path`. */
async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

function existsMessage(path: string): string {
  return `${path} already exists: pass --force to overwrite it, or choose another file with -o`;
}

/** `slng-batch transcript <jobId> [--format txt|srt|json] [-o file]`: prints or saves a DONE job's transcript. */
export async function transcriptCommand(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  values: ParsedCommand["values"],
): Promise<ExitCode> {
  checkJobId(jobId, "transcript");
  const format = (values.format as string | undefined) ?? "txt";
  if (!isOutputFormat(format))
    throw new UsageError(`--format must be txt, srt or json (got "${format}")`, "transcript");
  const output = values.output as string | undefined;
  const force = values.force === true;
  if (output && !force && (await exists(output))) throw new UsageError(existsMessage(output), "transcript");
  const api = makeApi();
  const job = await api.get(jobId);
  if (job.status !== "DONE") {
    io.stderr.write(
      `Job ${jobId} is ${job.status}${job.status === "FAILED" && job.error_message ? ` (${job.error_message.message})` : ""}: a transcript exists only once it is DONE.${job.status === "FAILED" || job.status === "DELETED" ? "" : ` Wait for it with: slng-batch watch ${jobId}`}\n`,
    );
    return EXIT.jobFailed;
  }
  const body =
    format === "json"
      ? `${JSON.stringify(await api.downloadJson(jobId), null, 2)}\n`
      : await api.download(jobId, format);
  if (output) {
    try {
      await writeFile(output, body, { flag: force ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(existsMessage(output), "transcript");
      throw error;
    }
    io.stderr.write(`Saved the ${format} transcript of ${jobId} to ${output}\n`);
  } else {
    io.stdout.write(body.endsWith("\n") ? body : `${body}\n`);
  }
  return EXIT.ok;
}

/** `slng-batch files <jobId>`: lists inputs and outputs; signed URLs have their signatures hidden unless `--urls`. */
export async function filesCommand(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  values: ParsedCommand["values"],
): Promise<ExitCode> {
  checkJobId(jobId, "files");
  const files = await makeApi().files(jobId);
  const show = (url: string) => (values.urls ? url : redactSignedUrl(url));
  if (io.json) {
    const redacted = {
      ...files,
      inputs: files.inputs.map((f) => ({ ...f, download_url: show(f.download_url) })),
      outputs: files.outputs.map((f) => ({ ...f, download_url: show(f.download_url) })),
    };
    io.stdout.write(`${JSON.stringify(redacted)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`Job ${files.job_id}\nInputs:\n`);
  for (const f of files.inputs) io.stdout.write(`  ${f.key}\n    ${show(f.download_url)}\n`);
  io.stdout.write(`Outputs:${files.outputs.length === 0 ? " none yet (the job is not DONE)" : ""}\n`);
  for (const f of files.outputs) io.stdout.write(`  ${f.format.padEnd(5)} ${f.key}\n    ${show(f.download_url)}\n`);
  if (!values.urls) io.stdout.write("(signatures hidden; --urls shows the full signed URLs, valid about 1 hour)\n");
  return EXIT.ok;
}

/** Prints the outcome of a delete that could not be done: stderr, or an `error` JSON line with `--json`. */
function refuseDelete(io: Io, message: string, code: ExitCode): ExitCode {
  if (io.json)
    io.stdout.write(
      `${JSON.stringify({ type: "error", timestamp: isoStamp(Date.now()), exit_code: code, message })}\n`,
    );
  else printError(io, message);
  return code;
}

/** Why a job in `status` cannot be deleted yet, and what to do. */
function notTerminalMessage(jobId: string, status: string): string {
  return `job ${jobId} is ${status}: only DONE or FAILED jobs can be deleted. Wait for it to finish (slng-batch watch ${jobId}), then delete it.`;
}

/**
 * `slng-batch delete <jobId>`: looks the job up first — a job still running is refused (exit 1,
 * the API's 409), one already deleted is reported as such (exit 0) — then asks on a terminal
 * (`--yes` is needed otherwise) and deletes.
 */
export async function deleteCommand(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  values: ParsedCommand["values"],
): Promise<ExitCode> {
  checkJobId(jobId, "delete");
  if (!values.yes && !io.interactive)
    throw new UsageError("not on a terminal: pass --yes to delete without asking", "delete");
  const api = makeApi();
  const job = await api.get(jobId);
  if (job.status === "DELETED") {
    if (io.json) io.stdout.write(`${JSON.stringify({ job_id: jobId, status: "DELETED", already_deleted: true })}\n`);
    else io.stdout.write(`Job ${jobId} was already deleted; nothing to do.\n`);
    return EXIT.ok;
  }
  if (job.status !== "DONE" && job.status !== "FAILED")
    return refuseDelete(io, notTerminalMessage(jobId, job.status), EXIT.jobFailed);
  if (!values.yes) {
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await rl.question(`Delete job ${jobId} (${job.status}) and its outputs? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr.write("Not deleted.\n");
      return EXIT.ok;
    }
  }
  let ack: Awaited<ReturnType<typeof api.delete>>;
  try {
    ack = await api.delete(jobId);
  } catch (error) {
    if (classifyError(error) !== "conflict") throw error;
    const now = await api.get(jobId).catch(() => undefined);
    return refuseDelete(io, notTerminalMessage(jobId, now?.status ?? "not DONE or FAILED"), EXIT.jobFailed);
  }
  if (io.json) io.stdout.write(`${JSON.stringify(ack)}\n`);
  else io.stdout.write(`Deleted job ${ack.job_id}.\n`);
  return EXIT.ok;
}

function isSortField(value: string): value is JobSortField {
  return (SORT_FIELDS as readonly string[]).includes(value);
}

/**
 * `slng-batch jobs`: the live dashboard on a terminal, opened with the `--status` filter and
 * `--sort`/`--asc` order given; a table (or JSON lines) of up to `--limit` jobs otherwise.
 */
export async function jobsCommand(
  io: Io,
  makeApi: ApiFactory,
  values: ParsedCommand["values"],
  limit: number,
): Promise<ExitCode> {
  const statusRaw = values.status as string | undefined;
  const status = statusRaw
    ? statusRaw
        .split(",")
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean)
    : undefined;
  const unknown = status?.find((s) => !isJobStatus(s));
  if (unknown !== undefined) {
    throw new UsageError(`--status: unknown status "${unknown}" (use ${JOB_STATUSES.join(", ")})`, "jobs");
  }
  const statuses = status as JobStatus[] | undefined;
  const sortBy = (values.sort as string | undefined) ?? "submitted_at";
  if (!isSortField(sortBy)) {
    throw new UsageError(`--sort must be one of ${SORT_FIELDS.join(", ")} (got "${sortBy}")`, "jobs");
  }
  const sortOrder = values.asc ? "asc" : "desc";
  const api = makeApi();
  if (io.interactive) {
    let interrupted = false;
    const save = outputSaver(api, process.cwd());
    await runInk(
      io,
      (exit) => (
        <DashboardScreen
          api={api}
          interactive
          initialFilter={filterFor(statuses)}
          initialSort={sortFor(sortBy, sortOrder)}
          onExit={(wasInterrupted) => {
            interrupted = wasInterrupted === true;
            exit();
          }}
          onSave={save}
        />
      ),
      (exit) => {
        interrupted = true;
        exit();
      },
    );
    return interrupted ? EXIT.interrupted : EXIT.ok;
  }
  let printed = 0;
  if (!io.json) {
    io.stdout.write(`${fit("ID", 24)} ${fit("STATUS", 16)} ${fit("TITLE", 24)} ${fit("SUBMITTED", 10)} AUDIO\n`);
  }
  for (let page = 1; printed < limit; page++) {
    const result = await api.listPage({
      page,
      pageSize: Math.min(100, limit - printed),
      ...(statuses ? { status: statuses } : {}),
      sortBy,
      sortOrder,
    });
    for (const job of result.items) {
      if (printed >= limit) break;
      printed++;
      if (io.json) {
        io.stdout.write(`${JSON.stringify(job)}\n`);
        continue;
      }
      const t = job.job_config?.tracking;
      const submitted = parseTime(job.submitted_at);
      const d = job.input_metadata?.duration_seconds;
      io.stdout.write(
        `${fit(job.job_id, 24)} ${fit(job.status, 16)} ${fit(t?.title ?? t?.reference ?? "", 24)} ${fit(submitted !== undefined ? formatAge(Date.now() - submitted) : "", 10)} ${d !== undefined ? formatAudioSeconds(d) : ""}\n`,
      );
    }
    if (page >= result.meta.pages || result.items.length === 0) break;
  }
  if (!io.json && printed === 0) io.stdout.write("(no jobs)\n");
  return EXIT.ok;
}
