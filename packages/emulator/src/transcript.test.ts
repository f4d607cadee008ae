import { validateSchema } from "@slng/contract";
import { describe, expect, it } from "vitest";
import { buildTranscript, transcriptSrt, transcriptText } from "./transcript.js";

const base = {
  jobId: "abc",
  createdAt: "2026-01-01T00:00:00.000Z",
  completedAt: "2026-01-01T00:00:10.000Z",
  dataName: "a.wav",
  channels: 1,
  transcriptionConfig: { language: "en" },
};

describe("transcripts", () => {
  it("are empty for silence-length audio and still valid json-v2, txt and srt", () => {
    const t = buildTranscript({ ...base, durationSeconds: 0.2 });
    expect(t.results).toEqual([]);
    expect(validateSchema("JsonV2Transcript", t).ok).toBe(true);
    expect(transcriptText(t)).toBe("\n");
    expect(transcriptSrt(t, undefined)).toBe("");
  });

  it("fill a long recording with words inside its duration", () => {
    const t = buildTranscript({ ...base, durationSeconds: 600 });
    const words = t.results.filter((i) => i.type === "word");
    expect(words.length).toBeGreaterThan(600);
    expect(t.results.at(-1)?.end_time).toBeLessThanOrEqual(600);
    expect(t.results.at(-1)?.end_time).toBeGreaterThan(590);
    expect(t.results.at(-1)?.is_eos).toBe(true);
  });

  it("always has two speakers (or two channels on stereo) in 20 s of audio", () => {
    for (let i = 0; i < 200; i++) {
      const speakers = buildTranscript({
        ...base,
        jobId: `job${i}`,
        durationSeconds: 20,
        transcriptionConfig: { diarization: "speaker" },
      });
      expect(new Set(speakers.results.map((r) => r.alternatives[0]?.speaker)).size, `job${i}`).toBe(2);
      const channels = buildTranscript({
        ...base,
        jobId: `job${i}`,
        channels: 2,
        durationSeconds: 20,
        transcriptionConfig: { diarization: "channel" },
      });
      expect(new Set(channels.results.map((r) => r.channel)).size, `job${i}`).toBe(2);
    }
  });

  it("srt puts a single over-long word on its own line and numbers blocks from 1", () => {
    const t = buildTranscript({ ...base, durationSeconds: 30 });
    const srt = transcriptSrt(t, { srt_overrides: { max_line_length: 1, max_lines: 3 } });
    const blocks = srt.trim().split("\n\n");
    expect(blocks[0]?.startsWith("1\n")).toBe(true);
    for (const b of blocks) {
      const lines = b.split("\n").slice(2);
      expect(lines.length).toBeLessThanOrEqual(3);
      for (const l of lines) expect(l.includes(" ")).toBe(false);
    }
  });
});
