import { mulberry32 } from "./prng.js";

/** Options of {@link createSampleWav}. */
export interface SampleWavOptions {
  /** Length in seconds (default 3). */
  seconds?: number;
  /** Samples per second (default 16000). */
  sampleRate?: number;
  /** Channel count (default 1). */
  channels?: number;
  /** PRNG seed of the tone pattern (default 1). */
  seed?: number;
}

/**
 * A valid 16-bit PCM WAV of deterministic, speech-like tone bursts (syllable-length tones with
 * pauses), for demos and tests. Same options, same bytes. Defaults: 3 s, 16 kHz, mono.
 */
export function createSampleWav(opts: SampleWavOptions = {}): Uint8Array {
  const seconds = opts.seconds ?? 3;
  const sampleRate = opts.sampleRate ?? 16000;
  const channels = opts.channels ?? 1;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
    throw new RangeError("seconds must be between 0 and 3600");
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 192000) {
    throw new RangeError("sampleRate must be an integer between 1000 and 192000");
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 8)
    throw new RangeError("channels must be an integer between 1 and 8");
  const frames = Math.round(seconds * sampleRate);
  const dataBytes = frames * channels * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (offset: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, dataBytes, true);

  const rand = mulberry32(opts.seed ?? 1);
  let frame = 0;
  let offset = 44;
  while (frame < frames) {
    const burst = Math.round(sampleRate * (0.12 + rand() * 0.25));
    const pause = Math.round(sampleRate * (0.04 + rand() * (rand() < 0.2 ? 0.5 : 0.12)));
    const f0 = 110 + rand() * 140;
    const formant = 500 + rand() * 1500;
    for (let i = 0; i < burst && frame < frames; i++, frame++) {
      const t = frame / sampleRate;
      const envelope = Math.sin((Math.PI * i) / burst);
      const s = 0.55 * Math.sin(2 * Math.PI * f0 * t) + 0.25 * Math.sin(2 * Math.PI * formant * t);
      const v = Math.max(-1, Math.min(1, s * envelope * 0.7));
      for (let c = 0; c < channels; c++, offset += 2) view.setInt16(offset, Math.round(v * 32767), true);
    }
    for (let i = 0; i < pause && frame < frames; i++, frame++) {
      for (let c = 0; c < channels; c++, offset += 2) view.setInt16(offset, 0, true);
    }
  }
  return out;
}
