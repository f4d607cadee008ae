/** The exit codes of `slng-batch bulk`, as shown in its help. */
export const BULK_EXIT_HELP = `Exit codes:
  0    every input is DONE and saved (or q: detached, the jobs keep running; or a dry run
       found nothing wrong)
  1    at least one input FAILED (the summary names each one); with --dry-run, an input that
       cannot be taken (a missing file, an output path in the way) or that stays FAILED
  2    usage or configuration error, the output folder cannot be written or is in use, or the
       --store cannot be opened (wrong URL or password)
  3    authentication failed, or the API stayed unreachable after retries (the key is checked
       first: a refused key exits 3 before any output folder or journal is made)
  130  interrupted (Ctrl+C); the jobs keep running, run the same command to resume
  141  the reader of the output went away (| head): the run stopped as with q (lock released,
       report written, jobs keep running); run the same command to resume`;

/** The `bulk` command's usage, options and help (registered in `COMMANDS`). */
export const BULK_COMMAND = {
  usage:
    "slng-batch bulk <file|dir>... [--manifest list.csv|list.jsonl] --out <dir> [--store postgres://… --run <name>] [options]",
  summary: "transcribe a folder or manifest: bounded, resumable, exactly one job per recording",
  positionals: [{ name: "file|dir", required: false, variadic: true }],
  options: {
    out: {
      type: "string" as const,
      short: "o",
      arg: "dir",
      help: "output folder (transcripts mirror the inputs); not the input folder itself",
    },
    manifest: {
      type: "string" as const,
      arg: "file",
      help: "CSV or JSONL: path or https url, + title, reference, tags, language, output",
    },
    format: { type: "string" as const, short: "f", arg: "list", help: "formats to save: txt,srt,json (default txt)" },
    concurrency: { type: "string" as const, arg: "n", help: "uploads/creates at a time (default 4; 1-64)" },
    "retry-failed": { type: "boolean" as const, help: "resubmit inputs whose job FAILED (new job id)" },
    "dry-run": { type: "boolean" as const, help: "say what would happen; send and write nothing" },
    overwrite: { type: "boolean" as const, help: "replace files at output paths bulk did not write (default: skip)" },
    "follow-symlinks": { type: "boolean" as const, help: "follow symlinks leading outside the folders given" },
    "any-extension": { type: "boolean" as const, help: "take manifest path rows without an audio extension" },
    language: { type: "string" as const, arg: "code", help: "language code (default en; a row's language wins)" },
    "operating-point": { type: "string" as const, arg: "standard|enhanced", help: "accuracy level" },
    diarization: { type: "string" as const, arg: "none|speaker|channel", help: "speaker separation" },
    title: { type: "string" as const, arg: "text", help: "tracking title (a row's title wins)" },
    reference: { type: "string" as const, arg: "text", help: "tracking reference (a row's reference wins)" },
    tag: { type: "string" as const, multiple: true, arg: "tag", help: "tracking tag (repeatable)" },
    model: { type: "string" as const, arg: "code", help: "model code" },
    metadata: { type: "string" as const, arg: "json", help: "metadata object as JSON text" },
    store: {
      type: "string" as const,
      arg: "postgres://…",
      help: "share the run with other workers through PostgreSQL (or SLNG_BULK_STORE)",
    },
    run: { type: "string" as const, arg: "name", help: "name of the shared run (with --store)" },
    status: { type: "boolean" as const, help: "print a shared run's progress and exit (with --store, --run)" },
    "max-offline": {
      type: "string" as const,
      arg: "seconds",
      help: "exit 3 when the API stays unreachable this long (default 120)",
    },
  },
  details: `Folders are walked recursively for audio (wav, mp3, flac, aac, ogg, m4a, mp4, amr, mpeg); other files
are listed as skipped, and symlinks leading outside the folder are skipped with a warning unless
--follow-symlinks. Manifest path rows are relative to the manifest, need an audio extension (unless
--any-extension), and rows outside its folder get one warning; URLs go in the url column.
Each input is saved as <out>/<path without extension>.<format>, written atomically. State lives in
<out>/.slng-bulk.jsonl: run the same command again after any stop or crash and it resumes — saved
inputs are skipped, jobs in flight awaited, nothing submitted twice. An input is its content
(SHA-256): a touched or copied file is the same input, changed bytes are new work, and identical
recordings share one job (uploaded and paid once, audio counted once). The report is
<out>/bulk-report.json.
Bulk writes only what it owns: an output path holding a file or symlink it did not write makes that
input skipped and reported (exit 1) before anything is sent, unless --overwrite; outputs go to a
temp file renamed over the target (a symlink there is replaced, never followed), and nothing is
written where a symlinked folder would lead outside --out.
One run at a time per --out folder (<out>/.slng-bulk.lock: pid, host, start time); a lock left by
a killed run on this host is taken over, another host's lock is refused (exit 2) naming it.
Shared run: any number of workers, on any machines, with the same inputs, the same --out (a
shared folder) and the same --store postgres://user:password@host/db --run <name> share the
work, each recording still transcribed once (the store's leases replace the folder lock); each
worker exits with the run's code when the whole run is finished. --status --store … --run …
prints its progress.
Keys: q detach (jobs keep running)  Ctrl+C stop (exit 130)`,
  needsApi: false,
};
