import { createInterface } from "node:readline/promises";
import { redactUrl } from "@slng/client";
import type { BatchJob } from "@slng/types";
import { isJobStatus, isOutputFormat, JOB_STATUSES, type JobSortField, type JobStatus, SORT_FIELDS } from "@slng/types";
import { filterFor, sortFor } from "../components/dashboard.js";
import { DashboardScreen } from "../components/dashboard-screen.js";
import { type ParsedCommand, UsageError } from "../lib/args.js";
import { classifyError } from "../lib/errors.js";
import { EXIT, type ExitCode } from "../lib/exit-codes.js";
import { fit, formatAge, formatAudioSeconds, parseTime } from "../lib/format.js";
import { runInk } from "../lib/ink-runner.js";
import { type ApiFactory, type Io, reportError } from "../lib/io.js";
import { checkOutputPath, writeOutputFile } from "../lib/output-file.js";
import { paintStatus } from "../lib/plain-color.js";
import { sanitize, sanitizeDeep, sanitizeLines } from "../lib/sanitize.js";
import { outputSaver } from "../lib/save-outputs.js";
import { checkJobId } from "./watch.js";

/**
 * `slng-batch transcript <jobId> [--format txt|srt|json] [-o file [--force]]`: prints or saves a
 * DONE job's transcript; `-o` never replaces an existing file without `--force`. Under `--json`
 * (default format json) it prints one line: the JSON transcript itself,
 * `{"job_id","format","text"}` for txt/srt, or `{"type":"saved",…}` with `-o`. Printed to a
 * terminal, its control characters are made visible; to a pipe or `-o`, it is the bytes as served.
 */
export async function transcriptCommand(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  values: ParsedCommand["values"],
): Promise<ExitCode> {
  checkJobId(jobId, "transcript");
  const format = (values.format as string | undefined) ?? (io.json ? "json" : "txt");
  if (!isOutputFormat(format))
    throw new UsageError(`--format must be txt, srt or json (got "${format}")`, "transcript");
  const output = values.output as string | undefined;
  const force = values.force === true;
  if (output) await checkOutputPath(output, { force });
  const api = makeApi();
  const job = await api.get(jobId);
  if (job.status !== "DONE") {
    const why = job.status === "FAILED" && job.error_message ? ` (${job.error_message.message})` : "";
    const wait =
      job.status === "FAILED" || job.status === "DELETED" ? "" : ` Wait for it with: slng-batch watch ${jobId}`;
    reportError(
      io,
      EXIT.jobFailed,
      `Job ${jobId} is ${job.status}${why}: a transcript exists only once it is DONE.${wait}`,
    );
    return EXIT.jobFailed;
  }
  const doc = format === "json" ? await api.downloadJson(jobId) : undefined;
  const text = doc !== undefined ? "" : await api.download(jobId, format as "txt" | "srt");
  const body =
    doc !== undefined ? `${JSON.stringify(doc, null, 2)}\n` : text === "" || text.endsWith("\n") ? text : `${text}\n`;
  if (output) {
    await writeOutputFile(output, body, { force });
    if (io.json) io.stdout.write(`${JSON.stringify({ type: "saved", job_id: jobId, format, path: output })}\n`);
    else io.stderr.write(`Saved the ${format} transcript of ${jobId} to ${output}\n`);
  } else if (io.json) {
    io.stdout.write(`${doc !== undefined ? JSON.stringify(doc) : JSON.stringify({ job_id: jobId, format, text })}\n`);
  } else {
    io.stdout.write(io.stdout.isTTY ? sanitizeLines(body) : body);
  }
  return EXIT.ok;
}

/**
 * `slng-batch files <jobId>`: lists inputs and outputs; signed URLs have their signatures hidden
 * unless `--urls`. A job with no files at all is looked up: a DELETED one is said to be deleted.
 */
export async function filesCommand(
  io: Io,
  makeApi: ApiFactory,
  jobId: string,
  values: ParsedCommand["values"],
): Promise<ExitCode> {
  checkJobId(jobId, "files");
  const api = makeApi();
  const files = await api.files(jobId);
  const show = (url: string) => (values.urls ? url : redactUrl(url));
  const shown = (url: string) => sanitize(show(url));
  if (io.json) {
    const redacted = {
      ...files,
      inputs: files.inputs.map((f) => ({ ...f, download_url: show(f.download_url) })),
      outputs: files.outputs.map((f) => ({ ...f, download_url: show(f.download_url) })),
    };
    io.stdout.write(`${JSON.stringify(redacted)}\n`);
    return EXIT.ok;
  }
  if (files.outputs.length === 0 && files.inputs.length === 0) {
    const job = await api.get(jobId);
    if (job.status === "DELETED") {
      io.stdout.write(`Job ${sanitize(files.job_id)} was deleted, and its input and output files with it.\n`);
      return EXIT.ok;
    }
  }
  io.stdout.write(`Job ${sanitize(files.job_id)}\nInputs:\n`);
  for (const f of files.inputs) io.stdout.write(`  ${sanitize(f.key)}\n    ${shown(f.download_url)}\n`);
  io.stdout.write(`Outputs:${files.outputs.length === 0 ? " none yet (the job is not DONE)" : ""}\n`);
  for (const f of files.outputs)
    io.stdout.write(`  ${sanitize(f.format).padEnd(5)} ${sanitize(f.key)}\n    ${shown(f.download_url)}\n`);
  if (!values.urls) io.stdout.write("(signatures hidden; --urls shows the full signed URLs, valid about 1 hour)\n");
  return EXIT.ok;
}

/** Prints the outcome of a delete that could not be done: stderr, or an `error` JSON line with `--json`. */
function refuseDelete(io: Io, message: string, code: ExitCode): ExitCode {
  reportError(io, code, message);
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
  // The client reports a DELETE of a deleted job as done (a retry's first attempt may have landed): ask first.
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
    const answer = await rl
      .question(`Delete job ${jobId} (${sanitize(job.status)}) and its outputs? [y/N] `)
      .catch(() => undefined);
    rl.close();
    if (answer === undefined) {
      // Ctrl+C at the prompt: the line it was typed on ends first.
      io.stderr.write("\nNot deleted (interrupted).\n");
      return EXIT.interrupted;
    }
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
  else io.stdout.write(`Deleted job ${sanitize(ack.job_id)}.\n`);
  return EXIT.ok;
}

/**
 * The plain jobs table. Ids are never cut (a script reads them back, `awk '{print $1}'`): the id
 * column is as wide as the longest id of the first page (at least 24), and a longer id later
 * widens its own row. The title column gives way so a line fits `columns` (when known).
 */
function plainTable(columns: number | undefined, firstPage: readonly BatchJob[]) {
  const idWidth = Math.max(24, ...firstPage.map((j) => j.job_id.length));
  const fixed = idWidth + 1 + 16 + 1 + 1 + 10 + 1 + 11;
  const title = columns ? Math.max(8, Math.min(24, columns - fixed)) : 24;
  return {
    header: `${fit("ID", idWidth)} ${fit("STATUS", 16)} ${fit("TITLE", title)} ${fit("SUBMITTED", 10)} AUDIO\n`,
    row(job: BatchJob, color: boolean): string {
      const t = job.job_config?.tracking;
      const submitted = parseTime(job.submitted_at);
      const d = job.input_metadata?.duration_seconds;
      const age = submitted !== undefined ? formatAge(Date.now() - submitted) : "";
      return `${job.job_id.padEnd(idWidth)} ${paintStatus(fit(job.status, 16), job.status, color)} ${fit(t?.title ?? t?.reference ?? "", title)} ${fit(age, 10)} ${d !== undefined ? formatAudioSeconds(d) : ""}\n`;
    },
  };
}

function isSortField(value: string): value is JobSortField {
  return (SORT_FIELDS as readonly string[]).includes(value);
}

/** The stderr line after a list cut short by `--limit`: how many were shown, and how to see them all. */
export function limitNote(shown: number, total: number): string {
  return `Showed ${shown} of ${total} jobs (--limit ${shown}); pass --limit ${total} to list them all.\n`;
}

/**
 * `slng-batch jobs`: the live dashboard on a terminal, opened with the `--status` filter and
 * `--sort`/`--asc` order given; a table (or JSON lines) of up to `--limit` jobs otherwise, with a
 * {@link limitNote} on stderr when more jobs match.
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
    let fatal: unknown;
    const save = outputSaver(api, process.cwd());
    const ended = await runInk(
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
          onFatal={(error) => {
            fatal = error;
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
    if (fatal !== undefined && !ended.signal) throw fatal;
    return interrupted || ended.signal ? EXIT.interrupted : EXIT.ok;
  }
  let printed = 0;
  let total = 0;
  let table: ReturnType<typeof plainTable> | undefined;
  // One page size for every page: page n then starts right after page n-1.
  const pageSize = Math.min(100, limit);
  for (let page = 1; printed < limit; page++) {
    const result = await api.listPage({
      page,
      pageSize,
      ...(statuses ? { status: statuses } : {}),
      sortBy,
      sortOrder,
    });
    // The header once the API has answered: a failure prints only the error.
    if (page === 1 && !io.json) {
      table = plainTable(io.stdout.isTTY ? io.stdout.columns : undefined, result.items);
      io.stdout.write(table.header);
    }
    for (const job of result.items) {
      if (printed >= limit) break;
      printed++;
      io.stdout.write(
        io.json || !table
          ? `${JSON.stringify(job)}
`
          : table.row(sanitizeDeep(job), io.color),
      );
    }
    total = result.meta.total;
    if (page >= result.meta.pages || result.items.length === 0) break;
  }
  if (!io.json && printed === 0) io.stdout.write("(no jobs)\n");
  if (printed === limit && total > printed) io.stderr.write(limitNote(printed, total));
  return EXIT.ok;
}
