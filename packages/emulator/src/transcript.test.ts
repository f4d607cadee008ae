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
    expect(transcriptText(t)).toBe("");
    expect(transcriptSrt(t, undefined)).toBe("");
  });

  it("give every clip of 0.5 s or more at least one word, whatever the job id", () => {
    for (const durationSeconds of [0.5, 0.7, 1, 1.2, 1.5, 2]) {
      for (let i = 0; i < 2000; i++) {
        const t = buildTranscript({ ...base, jobId: `job${i}`, durationSeconds });
        const words = t.results.filter((r) => r.type === "word");
        expect(words.length, `job${i} at ${durationSeconds} s`).toBeGreaterThan(0);
        expect(t.results.at(-1)?.end_time).toBeLessThanOrEqual(durationSeconds);
        expect(transcriptSrt(t, undefined), `job${i}`).toMatch(/^1\n/);
      }
    }
  });

  it("never end a sentence on a comma (no 'call,?')", () => {
    for (let i = 0; i < 2000; i++) {
      const text = transcriptText(buildTranscript({ ...base, jobId: `job${i}`, durationSeconds: 7 + (i % 13) }));
      expect(text, `job${i}`).not.toMatch(/,[.?]/);
    }
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
