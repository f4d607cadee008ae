import type { BatchJob } from "@slng/types";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { searchJobs } from "../components/dashboard.js";
import type { JobsApi } from "../lib/api.js";
import { JobScan, type ScanQuery, type ScanSnapshot } from "../lib/job-scan.js";

/** Options of {@link useJobSearch}. */
export interface UseJobSearchOptions {
  api: JobsApi;
  /** The `/` search text; empty means no search (and no scan). */
  text: string;
  /** The dashboard's status filter and sort, applied by the server while scanning. */
  query: ScanQuery;
  /** Jobs already on screen, searched while the scan has not answered yet. */
  fallback: BatchJob[];
  /** Quiet time after the last key before the scan starts (ms; default 300). */
  debounceMs?: number;
  /** Jobs read before the scan pauses for `more()` (default 1000). */
  cap?: number;
}

/** What {@link useJobSearch} returns. */
export interface JobSearch {
  /** Jobs whose id, title or reference contain the text: from the scan, or from `fallback` until it answers. */
  matches: BatchJob[];
  /** The scan's progress (undefined when there is no search). */
  scan: ScanSnapshot | undefined;
  /** Reads the next `cap` jobs. */
  more(): void;
  /** Stops the scan, keeping what it read. */
  stop(): void;
  /** Throws the scan away and reads again from the first page. */
  rescan(): void;
  /** Re-reads a scan that fitted in one request (cheap), so statuses stay live. */
  refresh(): void;
  /** Drops a deleted job from the results. */
  remove(jobId: string): void;
}

/**
 * The dashboard's `/` search over every job, not just the page on screen. The API cannot filter
 * by id fragment or title, so a {@link JobScan} reads the list (status filter and sort applied
 * by the server) 100 jobs a request, one request at a time, up to `cap` jobs; typing more only
 * narrows what was read, without new requests. The scan starts once typing pauses, and is
 * cancelled when the text is cleared, the filter or sort changes, or the view unmounts.
 */
export function useJobSearch(options: UseJobSearchOptions): JobSearch {
  const { api, text, fallback } = options;
  const debounceMs = options.debounceMs ?? 300;
  const cap = options.cap ?? 1000;
  const active = text.trim() !== "";
  const key = JSON.stringify(options.query);
  const queryRef = useRef(options.query);
  queryRef.current = options.query;
  const [generation, setGeneration] = useState(0);
  const [scan, setScan] = useState<JobScan | undefined>();
  const [snapshot, setSnapshot] = useState<ScanSnapshot | undefined>();

  // One scan per (filter, sort, rescan) while a search is active.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query; `generation` forces a new scan.
  useEffect(() => {
    if (!active) {
      setScan(undefined);
      setSnapshot(undefined);
      return;
    }
    const next = new JobScan(api, queryRef.current, { cap });
    const unsubscribe = next.subscribe(() => setSnapshot(next.snapshot()));
    setScan(next);
    setSnapshot(next.snapshot());
    return () => {
      unsubscribe();
      next.stop();
    };
  }, [active, key, generation, api, cap]);

  // Debounce: the scan starts `debounceMs` after the last key typed before it started.
  // biome-ignore lint/correctness/useExhaustiveDependencies: every change of `text` restarts the wait.
  useEffect(() => {
    if (!scan || scan.snapshot().started) return;
    const timer = setTimeout(() => scan.start(), debounceMs);
    return () => clearTimeout(timer);
  }, [scan, text, debounceMs]);

  const source = snapshot && snapshot.requests > 0 ? snapshot.jobs : fallback;
  const matches = useMemo(() => (active ? searchJobs(source, text) : fallback), [active, source, text, fallback]);

  const more = useCallback(() => scan?.more(), [scan]);
  const stop = useCallback(() => scan?.stop(), [scan]);
  const rescan = useCallback(() => setGeneration((g) => g + 1), []);
  const refresh = useCallback(() => void scan?.refresh(), [scan]);
  const remove = useCallback((jobId: string) => scan?.remove(jobId), [scan]);
  return { matches, scan: active ? snapshot : undefined, more, stop, rescan, refresh, remove };
}
