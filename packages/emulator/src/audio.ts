import { open } from "node:fs/promises";
import type { AudioFormat } from "@slng/types";
import { AUDIO_FORMATS } from "@slng/types";

/** MIME type reported in `input_metadata.mime_type` for each accepted format. */
export const MIME_TYPES: Record<AudioFormat, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  flac: "audio/flac",
  aac: "audio/aac",
  ogg: "audio/ogg",
  m4a: "audio/mp4",
  mp4: "video/mp4",
  amr: "audio/amr",
  mpeg: "video/mpeg",
};

/** What the first bytes of a file say it is. */
export type Sniffed =
  | { kind: "audio"; format: AudioFormat }
  | { kind: "other"; description: string }
  | { kind: "unknown" };

const ascii = (b: Uint8Array, start: number, len: number): string =>
  String.fromCharCode(...b.subarray(start, Math.min(b.length, start + len)));

/** True when `b[i..]` starts an MPEG audio frame header; returns its layer (1..3) or 0. */
function mpegAudioLayer(b: Uint8Array, i: number): number {
  const b0 = b[i];
  const b1 = b[i + 1];
  const b2 = b[i + 2];
  if (b0 !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) return 0;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrate === 15 || rate === 3) return 0;
  return 4 - layerBits;
}

/**
 * Detects the container/codec from a file's first bytes (not from its name): WAV, MP3, FLAC,
 * AAC (ADTS/ADIF), Ogg, M4A/MP4, AMR and MPEG (MPEG-1/2 audio layer I/II, program streams).
 * Known non-audio formats are named so the 400 can say what was sent.
 */
export function sniffFormat(b: Uint8Array): Sniffed {
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WAVE") return { kind: "audio", format: "wav" };
  if (ascii(b, 0, 4) === "RF64" && ascii(b, 8, 4) === "WAVE") return { kind: "audio", format: "wav" };
  if (ascii(b, 0, 4) === "fLaC") return { kind: "audio", format: "flac" };
  if (ascii(b, 0, 4) === "OggS") return { kind: "audio", format: "ogg" };
  if (ascii(b, 0, 5) === "#!AMR") return { kind: "audio", format: "amr" };
  if (ascii(b, 0, 4) === "ADIF") return { kind: "audio", format: "aac" };
  if (ascii(b, 4, 4) === "ftyp") {
    const brand = ascii(b, 8, 4);
    return { kind: "audio", format: /^M4[AB]/.test(brand) ? "m4a" : "mp4" };
  }
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && (b[3] === 0xba || b[3] === 0xb3))
    return { kind: "audio", format: "mpeg" };
  if (ascii(b, 0, 3) === "ID3") {
    let offset = 10 + (((b[6] ?? 0) << 21) | ((b[7] ?? 0) << 14) | ((b[8] ?? 0) << 7) | (b[9] ?? 0));
    while (offset < b.length && b[offset] === 0) offset++;
    if (b[offset] === 0xff && b[offset + 1] !== undefined && ((b[offset + 1] ?? 0) & 0xf6) === 0xf0) {
      return { kind: "audio", format: "aac" };
    }
    return { kind: "audio", format: mpegAudioLayer(b, offset) === 3 || offset >= b.length ? "mp3" : "mpeg" };
  }
  if (b[0] === 0xff && b[1] !== undefined && (b[1] & 0xf6) === 0xf0) return { kind: "audio", format: "aac" };
  const layer = mpegAudioLayer(b, 0);
  if (layer === 3) return { kind: "audio", format: "mp3" };
  if (layer === 1 || layer === 2) return { kind: "audio", format: "mpeg" };
  const others: [string, string][] = [
    ["%PDF", "a PDF document"],
    ["\x89PNG", "a PNG image"],
    ["GIF8", "a GIF image"],
    ["PK\x03\x04", "a ZIP archive"],
    ["\x1a\x45\xdf\xa3", "a Matroska/WebM file"],
    ["FORM", "an AIFF/IFF file"],
    ["MThd", "a MIDI file"],
  ];
  for (const [magic, description] of others)
    if (ascii(b, 0, magic.length) === magic) return { kind: "other", description };
  if (b[0] === 0xff && b[1] === 0xd8) return { kind: "other", description: "a JPEG image" };
  if (b.length > 0 && b.subarray(0, 512).every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127))) {
    return { kind: "other", description: "text" };
  }
  return { kind: "unknown" };
}

/** The audio format a file name's extension claims, if it is an accepted one. */
export function formatFromName(name: string | undefined): AudioFormat | undefined {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? "")?.[1]?.toLowerCase();
  const normalised = ext === "mpg" || ext === "mp2" ? "mpeg" : ext === "oga" || ext === "opus" ? "ogg" : ext;
  return (AUDIO_FORMATS as readonly string[]).includes(normalised ?? "") ? (normalised as AudioFormat) : undefined;
}

/** The audio format a MIME type claims, if it is an accepted one. */
export function formatFromMime(mime: string | undefined): AudioFormat | undefined {
  const m = (mime ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const table: Record<string, AudioFormat> = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/vnd.wave": "wav",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    "audio/aac": "aac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "video/mp4": "mp4",
    "audio/amr": "amr",
    "video/mpeg": "mpeg",
  };
  return table[m];
}

/** The outcome of inspecting a stored input. */
export type Inspection =
  | { ok: true; format: AudioFormat; mimeType: string; durationSeconds: number; channels: number }
  | { ok: false; format: AudioFormat; mimeType: string; reason: string };

/** Reads a WAV header (RIFF chunks) and returns duration and channel count, or a reason it cannot be decoded. */
function inspectWav(head: Uint8Array, size: number): { durationSeconds: number; channels: number } | string {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 12;
  let byteRate = 0;
  let channels = 0;
  let audioFormat = 0;
  let blockAlign = 0;
  while (offset + 8 <= head.length) {
    const id = ascii(head, offset, 4);
    const chunkSize = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (body + 16 > head.length) return "its WAV header is truncated";
      audioFormat = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      byteRate = view.getUint32(body + 8, true);
      blockAlign = view.getUint16(body + 12, true);
    } else if (id === "data") {
      if (!byteRate || !channels) return "its WAV header has no valid 'fmt ' chunk before the audio data";
      if (audioFormat !== 1 && audioFormat !== 3 && audioFormat !== 0xfffe && audioFormat !== 6 && audioFormat !== 7) {
        return `its WAV encoding (format tag ${audioFormat}) is not supported`;
      }
      const available = Math.max(0, size - body);
      const dataBytes = chunkSize === 0xffffffff || chunkSize === 0 || chunkSize > available ? available : chunkSize;
      if (dataBytes < Math.max(1, blockAlign)) return "its WAV data chunk is empty: the recording has no audio samples";
      return { durationSeconds: dataBytes / byteRate, channels };
    }
    offset = body + chunkSize + (chunkSize % 2);
  }
  return "its WAV header has no audio data chunk";
}

/**
 * Inspects a stored input: measures duration and channels (WAV from its header; every other
 * format with music-metadata, loaded lazily because it is ESM-only). A file whose bytes name
 * an accepted format but cannot be read yields `ok: false` with a user-presentable reason.
 */
export async function inspectAudio(path: string, size: number, format: AudioFormat): Promise<Inspection> {
  const mimeType = MIME_TYPES[format];
  const fail = (reason: string): Inspection => ({
    ok: false,
    format,
    mimeType,
    reason: `The audio file could not be decoded: ${reason}.`,
  });
  if (format === "wav") {
    const handle = await open(path, "r");
    try {
      const head = new Uint8Array(65536);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const r = inspectWav(head.subarray(0, bytesRead), size);
      if (typeof r === "string") return fail(r);
      return { ok: true, format, mimeType, ...r };
    } finally {
      await handle.close();
    }
  }
  try {
    const mm = await import("music-metadata");
    const meta = await mm.parseFile(path, { duration: true, skipCovers: true });
    const duration = meta.format.duration;
    if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
      return fail("no audio stream with a measurable duration was found");
    }
    return { ok: true, format, mimeType, durationSeconds: duration, channels: meta.format.numberOfChannels ?? 1 };
  } catch (e) {
    const detail = e instanceof Error ? e.message.split("\n")[0]?.slice(0, 200) : undefined;
    return fail(detail ? `the ${format} data is corrupt (${detail})` : `the ${format} data is corrupt`);
  }
}
