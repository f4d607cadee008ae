/**
 * generated — do not edit.
 * Source: ../../spec/openapi.yaml. Regenerate with `pnpm generate` at the repo root.
 */
export type paths = {
    "/v1/batch/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List batch jobs
         * @description One page of the calling key's jobs, filtered and sorted. `page` is 1-based. Items may
         *     be partial `BatchJob`s (at least `job_id` and `status`; typically also `model_code` and
         *     `submitted_at`).
         */
        get: operations["batchJobsList"];
        put?: never;
        /**
         * Create a batch transcription job
         * @description Three ways to submit; the request's content type decides which.
         *
         *     1. **File upload** — `multipart/form-data` with the audio in `file` and the JSON-text
         *        fields `transcription_config` (required), `metadata`, `tracking`, `output_config`.
         *     2. **URL input** — `application/json` with `input_url` (https) and
         *        `transcription_config`.
         *     3. **Presigned upload** — `application/json`, in three steps: send
         *        `{"mode": "presign", "filename", …}` and receive `200` with an `upload` object
         *        (the job does not exist yet); `PUT` the raw bytes to `upload.url` with exactly
         *        `upload.headers` and **without** the API key; then send `{"s3_key", "job_id", …}`
         *        with the `transcription_config` (and tracking/output_config) from step 1 unchanged.
         *
         *     File upload, URL input and presign completion answer `202` with the job's
         *     acknowledgement; the presign request answers `200`.
         */
        post: operations["batchJobsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batch/jobs/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The job's id (letters and digits only).
                 * @example myjob123
                 */
                jobId: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a batch job
         * @description The full job. Poll this until `status` is `DONE` or `FAILED`. A job that does not
         *     exist and a job that belongs to another key are both `404`.
         */
        get: operations["batchJobsGet"];
        put?: never;
        post?: never;
        /**
         * Delete a finished batch job
         * @description Deletes a terminal job (`DONE` or `FAILED`) and its files; its status becomes
         *     `DELETED`. A job that is still processing is refused with `409`.
         */
        delete: operations["batchJobsDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batch/jobs/{jobId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The job's id (letters and digits only).
                 * @example myjob123
                 */
                jobId: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        /**
         * List a job's input and output files
         * @description Storage keys and signed download URLs (valid for about an hour) for the job's input
         *     and its outputs. There is one output entry per available format; a job that is not
         *     `DONE` has none. Fetch the download URLs **without** the API key.
         */
        get: operations["batchJobsFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /**
         * @description The error envelope of every non-2xx response. One short, user-presentable message; no codes or stack traces.
         * @example {
         *       "error": "Job not found"
         *     }
         */
        Error: {
            /** @description What went wrong, fit to show to a user. */
            error: string;
        };
        /**
         * @description A job id. The client may choose it at creation; otherwise the server generates one.
         *     At most 128 characters (emulator limit: SLNG's documentation states no maximum; the
         *     emulator refuses longer ids with 400).
         * @example myjob123
         */
        JobId: string;
        /**
         * @description Where a job is in its lifecycle: `QUEUED → IN_PROGRESS → DECODING → POST_PROCESSING →
         *     DONE`, or `FAILED` from any non-terminal state. `DONE` and `FAILED` are terminal; a
         *     terminal job can be deleted (`DELETED`).
         * @example DONE
         * @enum {string}
         */
        JobStatus: "QUEUED" | "IN_PROGRESS" | "DECODING" | "POST_PROCESSING" | "DONE" | "FAILED" | "DELETED";
        /**
         * @description The statuses at which processing has ended. Only jobs in one of these can be deleted.
         * @example FAILED
         * @enum {string}
         */
        TerminalJobStatus: "DONE" | "FAILED";
        /**
         * @description A transcript output format: `json` (Speechmatics json-v2), `txt` (plain text) or `srt` (SubRip subtitles).
         * @example srt
         * @enum {string}
         */
        OutputFormat: "json" | "txt" | "srt";
        /**
         * @description An audio format the service accepts (upload or URL). Anything else is refused with 400.
         * @example wav
         * @enum {string}
         */
        AudioFormat: "wav" | "mp3" | "flac" | "aac" | "ogg" | "m4a" | "mp4" | "amr" | "mpeg";
        /**
         * @description How the input reached the service.
         * @example upload
         * @enum {string}
         */
        InputSource: "upload" | "url" | "presign";
        /**
         * @description A field the job list can be sorted by.
         * @default submitted_at
         * @example submitted_at
         * @enum {string}
         */
        JobSortField: "submitted_at" | "status" | "model_code";
        /**
         * @description Sort direction.
         * @default desc
         * @example desc
         * @enum {string}
         */
        SortOrder: "asc" | "desc";
        /**
         * @description The model that transcribes the job.
         * @default slng/speechmatics/batch:15.0.0
         * @example slng/speechmatics/batch:15.0.0
         */
        ModelCode: string;
        /**
         * @description Accuracy/speed trade-off of the model.
         * @default standard
         * @example enhanced
         * @enum {string}
         */
        OperatingPoint: "standard" | "enhanced";
        /**
         * @description Who-spoke-when labelling: none, by speaker (`S1`, `S2`, …) or by channel (`channel_1`, …).
         * @default none
         * @example speaker
         * @enum {string}
         */
        Diarization: "none" | "speaker" | "channel";
        /**
         * @description A word or phrase the model should expect, with optional pronunciations.
         * @example {
         *       "content": "SLNG",
         *       "sounds_like": [
         *         "slang"
         *       ]
         *     }
         */
        AdditionalVocabEntry: {
            /** @description The word or phrase as it should be written. */
            content: string;
            /** @description How it sounds, spelled phonetically. */
            sounds_like?: string[];
        };
        /**
         * @description How to transcribe the audio. Every field is optional.
         * @example {
         *       "language": "en",
         *       "operating_point": "standard",
         *       "diarization": "none"
         *     }
         */
        TranscriptionConfig: {
            /**
             * @description Language code of the audio.
             * @default en
             */
            language?: string;
            operating_point?: components["schemas"]["OperatingPoint"];
            diarization?: components["schemas"]["Diarization"];
            /** @description A domain-specific language pack, e.g. `finance`. */
            domain?: string;
            /** @description Locale for spelling in the output, e.g. `en-GB`. */
            output_locale?: string;
            /** @description Format entities such as numbers, dates and currencies. */
            enable_entities?: boolean;
            /** @description Extra words and phrases the model should expect. */
            additional_vocab?: components["schemas"]["AdditionalVocabEntry"][];
        };
        /**
         * @description Your own labels for the job; echoed back in `job_config`.
         * @example {
         *       "title": "Meeting",
         *       "reference": "ref-123",
         *       "tags": [
         *         "weekly"
         *       ],
         *       "details": "Q1 planning session"
         *     }
         */
        Tracking: {
            /** @description A human-readable title. */
            title?: string;
            /** @description Your reference, e.g. an id in your system. */
            reference?: string;
            /** @description Free-form tags. */
            tags?: string[];
            /** @description Free-text notes about the job, e.g. `Q1 planning session` (a string, not an object). */
            details?: string;
        };
        /**
         * @description Layout of the SRT output.
         * @example {
         *       "max_line_length": 37,
         *       "max_lines": 2
         *     }
         */
        SrtOverrides: {
            /** @description Characters per subtitle line. At most 1000 (emulator limit: SLNG's documentation states no maximum). */
            max_line_length?: number;
            /** @description Lines per subtitle block. At most 1000 (emulator limit: SLNG's documentation states no maximum). */
            max_lines?: number;
        };
        /**
         * @description Options for the outputs.
         * @example {
         *       "srt_overrides": {
         *         "max_line_length": 37,
         *         "max_lines": 2
         *       }
         *     }
         */
        OutputConfig: {
            srt_overrides?: components["schemas"]["SrtOverrides"];
        };
        /**
         * @description Arbitrary key/value metadata of your own. In multipart uploads it is sent as JSON text.
         * @example {
         *       "customer": "acme"
         *     }
         */
        Metadata: {
            [key: string]: unknown;
        };
        /**
         * @description The job's configuration as submitted.
         * @example {
         *       "type": "transcription",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        JobConfig: {
            /**
             * @description Always `transcription`.
             * @constant
             */
            type?: "transcription";
            transcription_config?: components["schemas"]["TranscriptionConfig"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
        };
        /**
         * @description What the service measured of the input audio.
         * @example {
         *       "size_bytes": 1543210,
         *       "duration_seconds": 312.4,
         *       "format": "wav",
         *       "mime_type": "audio/wav",
         *       "source": "upload"
         *     }
         */
        InputMetadata: {
            /** @description Size of the input in bytes. */
            size_bytes?: number;
            /** @description Duration of the audio in seconds. */
            duration_seconds?: number;
            /** @description Container/codec format, e.g. `wav`. */
            format?: string;
            /** @description MIME type of the input, e.g. `audio/wav`. */
            mime_type?: string;
            source?: components["schemas"]["InputSource"];
        };
        /**
         * @description Filled in when the job completes; `{}` before.
         * @example {}
         */
        OutputMetadata: {
            [key: string]: unknown;
        };
        /**
         * @description Why a FAILED job failed. Show `message` verbatim.
         * @example {
         *       "message": "The audio file could not be decoded."
         *     }
         */
        JobErrorMessage: {
            /** @description A user-presentable reason. */
            message: string;
        };
        /**
         * @description A batch transcription job. List items may carry only some of the optional fields.
         * @example {
         *       "job_id": "myjob123",
         *       "api_key_id": "key123",
         *       "organisation_id": "6a1f3a52-5b6e-4d7c-9a3f-0c2b1e4d5f60",
         *       "model_code": "slng/speechmatics/batch:15.0.0",
         *       "status": "DONE",
         *       "job_config": {
         *         "type": "transcription",
         *         "transcription_config": {
         *           "language": "en",
         *           "operating_point": "standard",
         *           "diarization": "none"
         *         },
         *         "tracking": {
         *           "title": "Meeting",
         *           "reference": "ref-123"
         *         }
         *       },
         *       "input_metadata": {
         *         "size_bytes": 1543210,
         *         "duration_seconds": 312.4,
         *         "format": "wav",
         *         "mime_type": "audio/wav"
         *       },
         *       "output_metadata": {},
         *       "error_message": null,
         *       "submitted_at": "2025-01-01T12:00:00Z",
         *       "started_at": "2025-01-01T12:00:05Z",
         *       "completed_at": "2025-01-01T12:01:30Z",
         *       "deleted_at": null,
         *       "expired_at": null,
         *       "updated_at": "2025-01-01T12:01:30Z"
         *     }
         * @example {
         *       "job_id": "failedjob1",
         *       "status": "FAILED",
         *       "model_code": "slng/speechmatics/batch:15.0.0",
         *       "error_message": {
         *         "message": "The audio file could not be decoded."
         *       },
         *       "submitted_at": "2025-01-01T12:00:00Z",
         *       "completed_at": "2025-01-01T12:00:09Z"
         *     }
         */
        BatchJob: {
            job_id: components["schemas"]["JobId"];
            /** @description The key that submitted the job (can differ from the caller's key when the job was created in the dashboard). */
            api_key_id?: string;
            /**
             * Format: uuid
             * @description The organisation that owns the job.
             */
            organisation_id?: string;
            model_code?: components["schemas"]["ModelCode"];
            status: components["schemas"]["JobStatus"];
            job_config?: components["schemas"]["JobConfig"];
            input_metadata?: components["schemas"]["InputMetadata"];
            output_metadata?: components["schemas"]["OutputMetadata"];
            /** @description `null`, or for a FAILED job the reason. */
            error_message?: null | components["schemas"]["JobErrorMessage"];
            /**
             * Format: date-time
             * @description When the job was created.
             */
            submitted_at?: string;
            /**
             * Format: date-time
             * @description When processing started.
             */
            started_at?: string | null;
            /**
             * Format: date-time
             * @description When processing ended (DONE or FAILED).
             */
            completed_at?: string | null;
            /**
             * Format: date-time
             * @description When the job was deleted.
             */
            deleted_at?: string | null;
            /**
             * Format: date-time
             * @description When the job expired after its retention period.
             */
            expired_at?: string | null;
            /**
             * Format: date-time
             * @description When the job last changed.
             */
            updated_at?: string;
        };
        /**
         * @description The answer to a create (`QUEUED`) or a delete (`DELETED`). `status` is a plain string; compare it against `JobStatus`.
         * @example {
         *       "job_id": "myjob123",
         *       "status": "QUEUED"
         *     }
         */
        JobAcknowledgement: {
            job_id: components["schemas"]["JobId"];
            /** @description `QUEUED` after creation, `DELETED` after deletion. */
            status: string;
        };
        /**
         * @description File upload. `transcription_config`, `metadata`, `tracking` and `output_config` are form
         *     fields whose content is JSON text. Other form fields are refused with 400 naming the
         *     allowed ones (emulator limit: SLNG's documentation does not say what happens to them).
         */
        CreateJobMultipartRequest: {
            /**
             * Format: binary
             * @description The audio: wav, mp3, flac, aac, ogg, m4a, mp4, amr or mpeg; at most 1 GB.
             */
            file: string;
            transcription_config: components["schemas"]["TranscriptionConfig"];
            job_id?: components["schemas"]["JobId"];
            model_code?: components["schemas"]["ModelCode"];
            metadata?: components["schemas"]["Metadata"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
        };
        /**
         * @description URL input. The URL must be `https://`, publicly reachable or a presigned S3/GCS URL, and at most 1 GB.
         * @example {
         *       "input_url": "https://example.com/audio/meeting.wav",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        CreateJobFromUrlRequest: {
            /**
             * Format: uri
             * @description Where to fetch the audio.
             */
            input_url: string;
            transcription_config: components["schemas"]["TranscriptionConfig"];
            job_id?: components["schemas"]["JobId"];
            model_code?: components["schemas"]["ModelCode"];
            metadata?: components["schemas"]["Metadata"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
        };
        /**
         * @description Presigned upload, step 1. Asks for an upload URL; the job is created in step 3.
         * @example {
         *       "mode": "presign",
         *       "filename": "meeting.wav",
         *       "content_type": "audio/wav",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        PresignRequest: {
            /**
             * @description Always `presign`.
             * @constant
             */
            mode: "presign";
            /** @description Name of the file to upload; its extension names the format. */
            filename: string;
            /**
             * @description MIME type the upload will be sent with.
             * @default application/octet-stream
             */
            content_type?: string;
            job_id?: components["schemas"]["JobId"];
            transcription_config: components["schemas"]["TranscriptionConfig"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
        };
        /**
         * @description Presigned upload, step 3. Creates the job from the uploaded object; send back step 1's `transcription_config` (and tracking/output_config) unchanged.
         * @example {
         *       "s3_key": "inputs/myjob123.wav",
         *       "job_id": "myjob123",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        PresignCompleteRequest: {
            /** @description The `upload.s3_key` from step 1. */
            s3_key: string;
            job_id?: components["schemas"]["JobId"];
            model_code?: components["schemas"]["ModelCode"];
            transcription_config: components["schemas"]["TranscriptionConfig"];
            metadata?: components["schemas"]["Metadata"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
        };
        /**
         * @description A JSON create request — URL input, presign step 1, or presign step 3.
         * @example {
         *       "mode": "presign",
         *       "filename": "meeting.wav",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        CreateJobJsonRequest: components["schemas"]["CreateJobFromUrlRequest"] | components["schemas"]["PresignRequest"] | components["schemas"]["PresignCompleteRequest"];
        /**
         * @description Where and how to upload the audio in presign step 2.
         * @example {
         *       "url": "https://bucket.s3.amazonaws.com/inputs/myjob123.wav?X-Amz-Signature=abc",
         *       "s3_key": "inputs/myjob123.wav",
         *       "s3_uri": "s3://bucket/inputs/myjob123.wav",
         *       "expires_in": 1800,
         *       "headers": {
         *         "Content-Type": "audio/wav"
         *       }
         *     }
         */
        PresignUpload: {
            /**
             * Format: uri
             * @description The presigned PUT URL. Send the raw bytes with exactly `headers`, and without the API key.
             */
            url: string;
            /** @description The object's key; send it back in step 3. */
            s3_key: string;
            /** @description The object's `s3://bucket/key` URI. */
            s3_uri: string;
            /** @description Seconds until the URL expires (1800). */
            expires_in: number;
            /** @description Headers the PUT must send (typically Content-Type). */
            headers: {
                [key: string]: string;
            };
        };
        /**
         * @description Presign step 1's answer. The job does not exist until step 3.
         * @example {
         *       "job_id": "myjob123",
         *       "transcription_config": {
         *         "language": "en"
         *       },
         *       "input_s3_uri": "s3://bucket/inputs/myjob123.wav",
         *       "output_s3_prefix": "s3://bucket/outputs/myjob123/",
         *       "upload": {
         *         "url": "https://bucket.s3.amazonaws.com/inputs/myjob123.wav?X-Amz-Signature=abc",
         *         "s3_key": "inputs/myjob123.wav",
         *         "s3_uri": "s3://bucket/inputs/myjob123.wav",
         *         "expires_in": 1800,
         *         "headers": {
         *           "Content-Type": "audio/wav"
         *         }
         *       }
         *     }
         */
        PresignResponse: {
            job_id: components["schemas"]["JobId"];
            transcription_config: components["schemas"]["TranscriptionConfig"];
            tracking?: components["schemas"]["Tracking"];
            output_config?: components["schemas"]["OutputConfig"];
            /** @description The input's `s3://bucket/key` URI. */
            input_s3_uri: string;
            /** @description Where the outputs will be written, `s3://bucket/outputs/<jobId>/`. */
            output_s3_prefix: string;
            upload: components["schemas"]["PresignUpload"];
        };
        /**
         * @description An input file of a job.
         * @example {
         *       "key": "inputs/myjob123.wav",
         *       "s3_uri": "s3://bucket/inputs/myjob123.wav",
         *       "download_url": "https://bucket.s3.amazonaws.com/inputs/myjob123.wav?X-Amz-Signature=abc"
         *     }
         */
        JobFile: {
            /** @description Storage key, e.g. `inputs/<jobId>.wav`. */
            key: string;
            /** @description The `s3://bucket/key` URI. */
            s3_uri: string;
            /**
             * Format: uri
             * @description Signed download URL, valid for about an hour. Fetch it without the API key.
             */
            download_url: string;
        };
        /**
         * @description One output format of a finished job.
         * @example {
         *       "format": "srt",
         *       "key": "outputs/myjob123/transcript.srt",
         *       "s3_uri": "s3://bucket/outputs/myjob123/transcript.srt",
         *       "download_url": "https://bucket.s3.amazonaws.com/outputs/myjob123/transcript.srt?X-Amz-Signature=abc"
         *     }
         */
        JobOutputFile: {
            format: components["schemas"]["OutputFormat"];
            /** @description Storage key, e.g. `outputs/<jobId>/transcript.srt`. */
            key: string;
            /** @description The `s3://bucket/key` URI. */
            s3_uri: string;
            /**
             * Format: uri
             * @description Signed download URL, valid for about an hour. Fetch it without the API key.
             */
            download_url: string;
        };
        /**
         * @description A job's input and output files. Formats that are not available are left out.
         * @example {
         *       "job_id": "myjob123",
         *       "inputs": [
         *         {
         *           "key": "inputs/myjob123.wav",
         *           "s3_uri": "s3://bucket/inputs/myjob123.wav",
         *           "download_url": "https://bucket.s3.amazonaws.com/inputs/myjob123.wav?X-Amz-Signature=abc"
         *         }
         *       ],
         *       "outputs": [
         *         {
         *           "format": "txt",
         *           "key": "outputs/myjob123/transcript.txt",
         *           "s3_uri": "s3://bucket/outputs/myjob123/transcript.txt",
         *           "download_url": "https://bucket.s3.amazonaws.com/outputs/myjob123/transcript.txt?X-Amz-Signature=abc"
         *         }
         *       ]
         *     }
         */
        JobFilesResponse: {
            job_id: components["schemas"]["JobId"];
            /** @description The job's input files. */
            inputs: components["schemas"]["JobFile"][];
            /** @description One entry per available output format (none before DONE). */
            outputs: components["schemas"]["JobOutputFile"][];
        };
        /**
         * @description Where a page sits in the whole result.
         * @example {
         *       "page": 1,
         *       "page_size": 20,
         *       "total": 42,
         *       "pages": 3
         *     }
         */
        PageMeta: {
            /** @description This page's number (1-based). */
            page: number;
            /** @description Jobs per page. */
            page_size: number;
            /** @description Jobs matching the filters, over all pages. */
            total: number;
            /** @description Number of pages. */
            pages: number;
        };
        /**
         * @description One page of jobs.
         * @example {
         *       "items": [
         *         {
         *           "job_id": "myjob123",
         *           "status": "DONE",
         *           "model_code": "slng/speechmatics/batch:15.0.0",
         *           "submitted_at": "2025-01-01T12:00:00Z"
         *         }
         *       ],
         *       "meta": {
         *         "page": 1,
         *         "page_size": 20,
         *         "total": 1,
         *         "pages": 1
         *       }
         *     }
         */
        JobListResponse: {
            /** @description The jobs on this page; they may be partial. */
            items: components["schemas"]["BatchJob"][];
            meta: components["schemas"]["PageMeta"];
        };
        /**
         * @description One candidate for a transcript item.
         * @example {
         *       "content": "hello",
         *       "confidence": 0.98,
         *       "language": "en",
         *       "speaker": "S1"
         *     }
         */
        TranscriptAlternative: {
            /** @description The word or punctuation mark. */
            content: string;
            /** @description Confidence, 0 to 1. */
            confidence: number;
            /** @description Language of the item. */
            language?: string;
            /** @description Speaker label (`S1`, `S2`, …) when diarization is `speaker`. */
            speaker?: string;
        };
        /**
         * @description A word or punctuation mark with its timing.
         * @example {
         *       "type": "word",
         *       "start_time": 0.5,
         *       "end_time": 0.82,
         *       "alternatives": [
         *         {
         *           "content": "hello",
         *           "confidence": 0.98,
         *           "language": "en",
         *           "speaker": "S1"
         *         }
         *       ]
         *     }
         */
        TranscriptItem: {
            /**
             * @description Word or punctuation.
             * @enum {string}
             */
            type: "word" | "punctuation";
            /** @description Start, in seconds from the beginning of the audio. */
            start_time: number;
            /** @description End, in seconds from the beginning of the audio. */
            end_time: number;
            /** @description Candidates, best first. */
            alternatives: components["schemas"]["TranscriptAlternative"][];
            /**
             * @description For punctuation, which neighbour it attaches to.
             * @enum {string}
             */
            attaches_to?: "previous" | "next";
            /** @description Whether this punctuation ends a sentence. */
            is_eos?: boolean;
            /** @description Channel label (`channel_1`, …) when diarization is `channel`. */
            channel?: string;
        };
        /**
         * @description The job a transcript belongs to.
         * @example {
         *       "id": "myjob123",
         *       "created_at": "2025-01-01T12:00:00Z",
         *       "data_name": "meeting.wav",
         *       "duration": 312.4
         *     }
         */
        TranscriptJobInfo: {
            /** @description The job id. */
            id?: string;
            /**
             * Format: date-time
             * @description When the job was created.
             */
            created_at?: string;
            /** @description Name of the input. */
            data_name?: string;
            /** @description Audio duration in seconds. */
            duration?: number;
        };
        /**
         * @description How the transcript was made.
         * @example {
         *       "created_at": "2025-01-01T12:01:30Z",
         *       "type": "transcription",
         *       "transcription_config": {
         *         "language": "en"
         *       }
         *     }
         */
        TranscriptMetadata: {
            /**
             * Format: date-time
             * @description When the transcript was made.
             */
            created_at?: string;
            /**
             * @description Always `transcription`.
             * @constant
             */
            type?: "transcription";
            transcription_config?: components["schemas"]["TranscriptionConfig"];
        };
        /**
         * @description The `json` output, in the Speechmatics json-v2 layout.
         * @example {
         *       "format": "2.9",
         *       "job": {
         *         "id": "myjob123",
         *         "created_at": "2025-01-01T12:00:00Z",
         *         "data_name": "meeting.wav",
         *         "duration": 1.2
         *       },
         *       "metadata": {
         *         "created_at": "2025-01-01T12:01:30Z",
         *         "type": "transcription",
         *         "transcription_config": {
         *           "language": "en",
         *           "diarization": "speaker"
         *         }
         *       },
         *       "results": [
         *         {
         *           "type": "word",
         *           "start_time": 0.1,
         *           "end_time": 0.5,
         *           "alternatives": [
         *             {
         *               "content": "Hello",
         *               "confidence": 0.97,
         *               "language": "en",
         *               "speaker": "S1"
         *             }
         *           ]
         *         },
         *         {
         *           "type": "punctuation",
         *           "start_time": 0.5,
         *           "end_time": 0.5,
         *           "attaches_to": "previous",
         *           "is_eos": true,
         *           "alternatives": [
         *             {
         *               "content": ".",
         *               "confidence": 1,
         *               "language": "en",
         *               "speaker": "S1"
         *             }
         *           ]
         *         }
         *       ]
         *     }
         */
        JsonV2Transcript: {
            /** @description Layout version, e.g. `2.9`. */
            format: string;
            job?: components["schemas"]["TranscriptJobInfo"];
            metadata?: components["schemas"]["TranscriptMetadata"];
            /** @description Words and punctuation, in time order. */
            results: components["schemas"]["TranscriptItem"][];
        };
    };
    responses: {
        /** @description The request is invalid (body, parameter or job id); the message says what is wrong. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "job_id must be alphanumeric"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The API key is missing or unknown. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "API key id not found"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The job does not exist, or it belongs to another API key. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Job not found"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The job is not in a state that allows this (delete needs DONE or FAILED). */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Job must be DONE or FAILED to delete"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The input is larger than 1 GB. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "File too large. Maximum size is 1 GB."
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description An unexpected server error. */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Internal server error"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description Rate limited. Not listed in SLNG's pages, but sent by gateways in front of any HTTP API;
         *     wait `Retry-After` seconds, then retry.
         */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Too many requests"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The service is briefly unavailable. Not listed in SLNG's pages, but sent by gateways in
         *     front of any HTTP API; retry after `Retry-After` seconds when present.
         */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                "X-Request-Id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Service unavailable"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The job's id (letters and digits only).
         * @example myjob123
         */
        JobIdPath: components["schemas"]["JobId"];
        /**
         * @description 1-based page number, written in decimal digits. At most 1,000,000,000, and only plain
         *     digits (`1e3` is refused) — emulator limits: SLNG's documentation states neither; the
         *     emulator answers 400 naming `page`.
         * @example 1
         */
        Page: number;
        /**
         * @description Jobs per page, 1 to 100.
         * @example 20
         */
        PageSize: number;
        /**
         * @description Comma-separated job statuses, e.g. `DONE,FAILED`. An unknown value is answered with
         *     `400` naming it and listing the allowed ones.
         * @example DONE,FAILED
         */
        StatusFilter: string;
        /**
         * @description Only jobs with exactly this model code.
         * @example slng/speechmatics/batch:15.0.0
         */
        ModelCodeFilter: string;
        /**
         * @description Only jobs submitted after this instant (ISO 8601).
         * @example 2026-01-01T00:00:00Z
         */
        SubmittedAfter: string;
        /**
         * @description Only jobs submitted before this instant (ISO 8601).
         * @example 2026-12-31T23:59:59Z
         */
        SubmittedBefore: string;
        /** @description Field to sort by. */
        SortBy: components["schemas"]["JobSortField"];
        /** @description Sort direction. */
        SortOrder: components["schemas"]["SortOrder"];
    };
    requestBodies: never;
    headers: {
        /**
         * @description An id for this answer, sent by the gateway in front of the API (and by the emulator on
         *     every answer, storage included). Quote it when you report a problem; clients show it
         *     next to an error. SLNG's pages do not document it, so a client must not rely on it.
         * @example 3f0c2b1e-4d5f-4a6b-9c7d-8e9f0a1b2c3d
         */
        RequestId: string;
        /**
         * @description Seconds to wait (or an HTTP date) before retrying.
         * @example 2
         */
        RetryAfter: string;
    };
    pathItems: never;
};
export type Error = components['schemas']['Error'];
export type JobId = components['schemas']['JobId'];
export type JobStatus = components['schemas']['JobStatus'];
export type TerminalJobStatus = components['schemas']['TerminalJobStatus'];
export type OutputFormat = components['schemas']['OutputFormat'];
export type AudioFormat = components['schemas']['AudioFormat'];
export type InputSource = components['schemas']['InputSource'];
export type JobSortField = components['schemas']['JobSortField'];
export type SortOrder = components['schemas']['SortOrder'];
export type ModelCode = components['schemas']['ModelCode'];
export type OperatingPoint = components['schemas']['OperatingPoint'];
export type Diarization = components['schemas']['Diarization'];
export type AdditionalVocabEntry = components['schemas']['AdditionalVocabEntry'];
export type TranscriptionConfig = components['schemas']['TranscriptionConfig'];
export type Tracking = components['schemas']['Tracking'];
export type SrtOverrides = components['schemas']['SrtOverrides'];
export type OutputConfig = components['schemas']['OutputConfig'];
export type Metadata = components['schemas']['Metadata'];
export type JobConfig = components['schemas']['JobConfig'];
export type InputMetadata = components['schemas']['InputMetadata'];
export type OutputMetadata = components['schemas']['OutputMetadata'];
export type JobErrorMessage = components['schemas']['JobErrorMessage'];
export type BatchJob = components['schemas']['BatchJob'];
export type JobAcknowledgement = components['schemas']['JobAcknowledgement'];
export type CreateJobMultipartRequest = components['schemas']['CreateJobMultipartRequest'];
export type CreateJobFromUrlRequest = components['schemas']['CreateJobFromUrlRequest'];
export type PresignRequest = components['schemas']['PresignRequest'];
export type PresignCompleteRequest = components['schemas']['PresignCompleteRequest'];
export type CreateJobJsonRequest = components['schemas']['CreateJobJsonRequest'];
export type PresignUpload = components['schemas']['PresignUpload'];
export type PresignResponse = components['schemas']['PresignResponse'];
export type JobFile = components['schemas']['JobFile'];
export type JobOutputFile = components['schemas']['JobOutputFile'];
export type JobFilesResponse = components['schemas']['JobFilesResponse'];
export type PageMeta = components['schemas']['PageMeta'];
export type JobListResponse = components['schemas']['JobListResponse'];
export type TranscriptAlternative = components['schemas']['TranscriptAlternative'];
export type TranscriptItem = components['schemas']['TranscriptItem'];
export type TranscriptJobInfo = components['schemas']['TranscriptJobInfo'];
export type TranscriptMetadata = components['schemas']['TranscriptMetadata'];
export type JsonV2Transcript = components['schemas']['JsonV2Transcript'];
export type ResponseBadRequest = components['responses']['BadRequest'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponseConflict = components['responses']['Conflict'];
export type ResponsePayloadTooLarge = components['responses']['PayloadTooLarge'];
export type ResponseInternalError = components['responses']['InternalError'];
export type ResponseTooManyRequests = components['responses']['TooManyRequests'];
export type ResponseServiceUnavailable = components['responses']['ServiceUnavailable'];
export type ParameterJobIdPath = components['parameters']['JobIdPath'];
export type ParameterPage = components['parameters']['Page'];
export type ParameterPageSize = components['parameters']['PageSize'];
export type ParameterStatusFilter = components['parameters']['StatusFilter'];
export type ParameterModelCodeFilter = components['parameters']['ModelCodeFilter'];
export type ParameterSubmittedAfter = components['parameters']['SubmittedAfter'];
export type ParameterSubmittedBefore = components['parameters']['SubmittedBefore'];
export type ParameterSortBy = components['parameters']['SortBy'];
export type ParameterSortOrder = components['parameters']['SortOrder'];
export type HeaderRequestId = components['headers']['RequestId'];
export type HeaderRetryAfter = components['headers']['RetryAfter'];
export type $defs = Record<string, never>;
export interface operations {
    batchJobsList: {
        parameters: {
            query?: {
                /**
                 * @description 1-based page number, written in decimal digits. At most 1,000,000,000, and only plain
                 *     digits (`1e3` is refused) — emulator limits: SLNG's documentation states neither; the
                 *     emulator answers 400 naming `page`.
                 * @example 1
                 */
                page?: components["parameters"]["Page"];
                /**
                 * @description Jobs per page, 1 to 100.
                 * @example 20
                 */
                page_size?: components["parameters"]["PageSize"];
                /**
                 * @description Comma-separated job statuses, e.g. `DONE,FAILED`. An unknown value is answered with
                 *     `400` naming it and listing the allowed ones.
                 * @example DONE,FAILED
                 */
                status?: components["parameters"]["StatusFilter"];
                /**
                 * @description Only jobs with exactly this model code.
                 * @example slng/speechmatics/batch:15.0.0
                 */
                model_code?: components["parameters"]["ModelCodeFilter"];
                /**
                 * @description Only jobs submitted after this instant (ISO 8601).
                 * @example 2026-01-01T00:00:00Z
                 */
                submitted_after?: components["parameters"]["SubmittedAfter"];
                /**
                 * @description Only jobs submitted before this instant (ISO 8601).
                 * @example 2026-12-31T23:59:59Z
                 */
                submitted_before?: components["parameters"]["SubmittedBefore"];
                /** @description Field to sort by. */
                sort_by?: components["parameters"]["SortBy"];
                /** @description Sort direction. */
                sort_order?: components["parameters"]["SortOrder"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of jobs and the page metadata. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    batchJobsCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["CreateJobMultipartRequest"];
                "application/json": components["schemas"]["CreateJobJsonRequest"];
            };
        };
        responses: {
            /** @description Presign step 1 — an upload URL for the audio. The job does not exist yet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PresignResponse"];
                };
            };
            /** @description The job was accepted and queued (file upload, URL input, presign completion). */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "job_id": "myjob123",
                     *       "status": "QUEUED"
                     *     }
                     */
                    "application/json": components["schemas"]["JobAcknowledgement"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    batchJobsGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The job's id (letters and digits only).
                 * @example myjob123
                 */
                jobId: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    batchJobsDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The job's id (letters and digits only).
                 * @example myjob123
                 */
                jobId: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job was deleted. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "job_id": "myjob123",
                     *       "status": "DELETED"
                     *     }
                     */
                    "application/json": components["schemas"]["JobAcknowledgement"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    batchJobsFiles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The job's id (letters and digits only).
                 * @example myjob123
                 */
                jobId: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job's files. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobFilesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const jobStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobStatus"]> = ["QUEUED", "IN_PROGRESS", "DECODING", "POST_PROCESSING", "DONE", "FAILED", "DELETED"];
export const terminalJobStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TerminalJobStatus"]> = ["DONE", "FAILED"];
export const outputFormatValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["OutputFormat"]> = ["json", "txt", "srt"];
export const audioFormatValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AudioFormat"]> = ["wav", "mp3", "flac", "aac", "ogg", "m4a", "mp4", "amr", "mpeg"];
export const inputSourceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["InputSource"]> = ["upload", "url", "presign"];
export const jobSortFieldValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobSortField"]> = ["submitted_at", "status", "model_code"];
export const sortOrderValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SortOrder"]> = ["asc", "desc"];
export const operatingPointValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["OperatingPoint"]> = ["standard", "enhanced"];
export const diarizationValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Diarization"]> = ["none", "speaker", "channel"];
export const transcriptItemTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TranscriptItem"]["type"]> = ["word", "punctuation"];
export const transcriptItemAttaches_toValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TranscriptItem"]["attaches_to"]> = ["previous", "next"];
