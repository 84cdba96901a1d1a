/**
 * A spectrogram of a recording as a PNG: time left to right, frequency from 0 at the bottom to half the sample rate
 * at the top, loudness as colour over the 80 dB below the clip's loudest point (dark blue quiet, yellow loud).
 */
import { fft } from "./fft";
import { indexedPng } from "./png";

export const SPECTROGRAM_MAX_WIDTH = 1200;
const WINDOW = 512;
const RANGE_DB = 80;

/** Dark blue → purple → orange → yellow, interpolated to 256 colours. */
const ANCHORS: [number, number, number][] = [
  [13, 8, 50],
  [84, 2, 163],
  [185, 50, 137],
  [249, 142, 9],
  [252, 255, 164],
];

function palette(): Uint8Array {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (ANCHORS.length - 1);
    const low = Math.floor(position);
    const high = Math.min(ANCHORS.length - 1, low + 1);
    const t = position - low;
    for (let c = 0; c < 3; c++) {
      const a = (ANCHORS[low] as [number, number, number])[c] as number;
      const b = (ANCHORS[high] as [number, number, number])[c] as number;
      out[i * 3 + c] = Math.round(a + (b - a) * t);
    }
  }
  return out;
}

export interface Spectrogram {
  png: Uint8Array;
  width: number;
  height: number;
  /** Hz of the top row. */
  topHz: number;
}

/** One column per slice of the clip (at most SPECTROGRAM_MAX_WIDTH), 256 rows of frequency. */
export async function spectrogram(samples: Float32Array, sampleRate: number): Promise<Spectrogram> {
  const height = WINDOW / 2;
  const columns = Math.max(1, Math.min(SPECTROGRAM_MAX_WIDTH, Math.floor(samples.length / (WINDOW / 4))));
  const stride = columns > 1 ? Math.max(0, samples.length - WINDOW) / (columns - 1) : 0;
  const window = new Float64Array(WINDOW);
  for (let i = 0; i < WINDOW; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (WINDOW - 1));
  const levels = new Float32Array(columns * height);
  const re = new Float64Array(WINDOW);
  const im = new Float64Array(WINDOW);
  let loudest = -Infinity;
  for (let x = 0; x < columns; x++) {
    const start = Math.round(x * stride);
    for (let i = 0; i < WINDOW; i++) {
      re[i] = (samples[start + i] ?? 0) * (window[i] as number);
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < height; k++) {
      const db = 20 * Math.log10(Math.hypot(re[k] as number, im[k] as number) + 1e-9);
      levels[x * height + k] = db;
      loudest = Math.max(loudest, db);
    }
  }
  const pixels = new Uint8Array(columns * height);
  for (let x = 0; x < columns; x++)
    for (let k = 0; k < height; k++) {
      const relative = ((levels[x * height + k] as number) - (loudest - RANGE_DB)) / RANGE_DB;
      // Row 0 is the top of the image: the highest frequency.
      pixels[(height - 1 - k) * columns + x] = Math.round(255 * Math.max(0, Math.min(1, relative)));
    }
  return { png: await indexedPng(columns, height, pixels, palette()), width: columns, height, topHz: sampleRate / 2 };
}
