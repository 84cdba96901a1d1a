/** A radix-2 FFT in place, and the averaged magnitude spectrum of a signal (Welch's method, Hann windows). */

/** Transforms `re`/`im` (length a power of two) in place. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = Math.cos(step * k);
        const wi = Math.sin(step * k);
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

export interface Spectrum {
  /** Magnitude per bin, 0 to the Nyquist frequency, averaged over the frames. */
  magnitude: Float64Array;
  /** Hz between bins. */
  binHz: number;
}

/**
 * The magnitude spectrum averaged over up to `maxFrames` Hann-windowed frames of `size` samples spread evenly over
 * the signal: a long clip costs no more than a short one past that.
 */
export function averageSpectrum(samples: Float32Array, sampleRate: number, size: number, maxFrames: number): Spectrum {
  const magnitude = new Float64Array(size / 2 + 1);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  const available = Math.max(1, Math.floor((samples.length - size) / (size / 2)) + 1);
  const frames = Math.min(available, maxFrames);
  const stride = frames > 1 ? Math.max(0, samples.length - size) / (frames - 1) : 0;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * stride);
    for (let i = 0; i < size; i++) {
      re[i] = (samples[start + i] ?? 0) * (window[i] as number);
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < magnitude.length; k++)
      magnitude[k] = (magnitude[k] as number) + Math.hypot(re[k] as number, im[k] as number) / frames;
  }
  return { magnitude, binHz: sampleRate / size };
}
