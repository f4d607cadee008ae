/**
 * generated — do not edit.
 * Source: ../../spec/openapi.yaml. Regenerate with `pnpm generate` at the repo root.
 */
/** The API version prefix of every path. */
export const API_PATH_PREFIX = "/v1/batch" as const;

/** Base URLs of the hosted API, from the spec's `servers`. */
export const SERVERS = {"production":"https://api.batch.slng.ai","staging":"https://stageapi.batch.slng.ai"} as const;

/** Base URL of the production API (`SERVERS.production`), on its own so a bundle can leave the other servers out. */
export const PRODUCTION_BASE_URL = "https://api.batch.slng.ai" as const;

/** Model used when a create request names none. */
export const DEFAULT_MODEL_CODE = "slng/speechmatics/batch:15.0.0" as const;

/** Source of the pattern every job id must match. */
export const JOB_ID_PATTERN_SOURCE = "^[a-zA-Z0-9]+$" as const;

/** Largest accepted input, in bytes (upload or URL); larger is answered with 413. */
export const MAX_INPUT_BYTES = 1073741824 as const;

/** Lifetime of a presigned upload URL, in seconds. */
export const PRESIGN_UPLOAD_EXPIRES_IN = 1800 as const;

/** Approximate lifetime of a signed download URL, in seconds. */
export const DOWNLOAD_URL_EXPIRES_IN = 3600 as const;

/** Bounds and default of the list operation's `page_size`. */
export const PAGE_SIZE = {"min":1,"max":100,"default":20} as const;

/** Default of the list operation's `page`. */
export const DEFAULT_PAGE = 1 as const;

/** Largest `page` the emulator accepts (emulator limit: SLNG's documentation states none). */
export const MAX_PAGE = 1000000000 as const;

/** Longest job id the emulator accepts (emulator limit: SLNG's documentation states none). */
export const JOB_ID_MAX_LENGTH = 128 as const;

/** Largest `srt_overrides` value (`max_line_length`, `max_lines`) the emulator accepts (emulator limit). */
export const SRT_OVERRIDE_MAX = 1000 as const;

/** Default sort field of the job list. */
export const DEFAULT_SORT_BY = "submitted_at" as const;

/** Default sort order of the job list. */
export const DEFAULT_SORT_ORDER = "desc" as const;
