/**
 * Reading a WAV file for analysis: RIFF/WAVE with PCM (8, 16, 24 or 32 bit integers) or 32-bit float samples,
 * mixed down to one channel. Every header field is checked against the body before a sample is read, so a file
 * that lies about itself (no channels, no sample rate, more data than it carries) is refused in words.
 */

export interface Pcm {
  sampleRate: number;
  /** The channels the file had; `samples` is their mix. */
  channels: number;
  bitsPerSample: number;
  /** One channel, each sample in [-1, 1]. */
  samples: Float32Array;
  durationSeconds: number;
}

export class WavError extends Error {}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
export const MIN_SAMPLE_RATE = 4_000;
export const MAX_SAMPLE_RATE = 192_000;
const MAX_CHANNELS = 8;

const ascii = (view: DataView, at: number) =>
  String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));

interface Format {
  code: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function readFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw new WavError("Its format chunk is too short.");
  let code = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
  if (code === FORMAT_EXTENSIBLE) {
    if (size < 40) throw new WavError("Its extensible format chunk is too short.");
    code = view.getUint16(at + 24, true);
  }
  if (code !== FORMAT_PCM && code !== FORMAT_FLOAT)
    throw new WavError("Only uncompressed PCM or 32-bit float WAV can be analysed.");
  if (channels < 1 || channels > MAX_CHANNELS) throw new WavError(`It claims ${channels} channels (1 to 8 allowed).`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw new WavError(`It claims a sample rate of ${sampleRate} Hz (${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}).`);
  const valid = code === FORMAT_FLOAT ? bitsPerSample === 32 : [8, 16, 24, 32].includes(bitsPerSample);
  if (!valid) throw new WavError(`It claims ${bitsPerSample}-bit samples, which this format does not have.`);
  if (blockAlign !== channels * (bitsPerSample / 8))
    throw new WavError("Its block size does not match its channels and sample size.");
  return { code, channels, sampleRate, blockAlign, bitsPerSample };
}

function sampleReader(view: DataView, format: Format): (at: number) => number {
  if (format.code === FORMAT_FLOAT) return (at) => Math.max(-1, Math.min(1, view.getFloat32(at, true) || 0));
  switch (format.bitsPerSample) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32_768;
    case 24:
      return (at) =>
        ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) / 2 ** 31;
    default:
      return (at) => view.getInt32(at, true) / 2 ** 31;
  }
}

/** Reads `bytes` as a WAV file of at most `maxSeconds`; throws WavError saying what is wrong with it. */
export function readWav(bytes: Uint8Array, maxSeconds: number): Pcm {
  if (bytes.byteLength < 44) throw new WavError("It is too short to be a WAV file.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(view, 0) !== "RIFF" || ascii(view, 8) !== "WAVE") throw new WavError("It is not a WAV file.");
  let format: Format | null = null;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = ascii(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (body + size > bytes.byteLength) throw new WavError("Its format chunk runs past the end of the file.");
      format = readFormat(view, body, size);
    } else if (id === "data") {
      if (!format) throw new WavError("Its samples come before their format.");
      if (body + size > bytes.byteLength)
        throw new WavError("It claims more sample data than the file holds (truncated or damaged).");
      return decode(view, format, body, size, maxSeconds);
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  throw new WavError(format ? "It has no sample data." : "It has no format chunk.");
}

function decode(view: DataView, format: Format, at: number, size: number, maxSeconds: number): Pcm {
  const frames = Math.floor(size / format.blockAlign);
  if (frames === 0) throw new WavError("It holds no samples.");
  const durationSeconds = frames / format.sampleRate;
  if (durationSeconds > maxSeconds)
    throw new WavError(`It is ${Math.round(durationSeconds)} s long; at most ${maxSeconds} s can be analysed.`);
  const read = sampleReader(view, format);
  const bytesPerSample = format.bitsPerSample / 8;
  const samples = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    const start = at + frame * format.blockAlign;
    let sum = 0;
    for (let channel = 0; channel < format.channels; channel++) sum += read(start + channel * bytesPerSample);
    samples[frame] = sum / format.channels;
  }
  return {
    sampleRate: format.sampleRate,
    channels: format.channels,
    bitsPerSample: format.bitsPerSample,
    samples,
    durationSeconds,
  };
}
