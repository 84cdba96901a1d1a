/**
 * What a recording of a household noise holds, measured from its samples: how long and how loud it is, its noise
 * floor, the frequencies that stand out (an averaged FFT), where its energy sits (spectral centroid), and whether
 * something repeats (a knock, click or beep: autocorrelation of its loudness envelope), with a plain-language
 * summary for a person deciding whether to call someone. Pure and synchronous: the queue consumer runs it.
 */
import { averageSpectrum } from "./fft";

export interface SpectralPeak {
  hz: number;
  /** Relative to the strongest peak (0 dB). */
  db: number;
}

export interface AudioAnalysis {
  durationSeconds: number;
  sampleRate: number;
  /** Loudness over the whole clip, dB below full scale. */
  rmsDbfs: number;
  peakDbfs: number;
  /** The quietest tenth of the clip's 20 ms frames: the background under the sound. */
  noiseFloorDbfs: number;
  /** The strongest frequency, or null for near silence. */
  dominantHz: number | null;
  /** Up to five frequencies that stand out, strongest first. */
  peaks: SpectralPeak[];
  centroidHz: number;
  /** Most of the energy in one narrow band: a hum, tone or whine rather than a noise. */
  tonal: boolean;
  /** How noise-like the spectrum is: near 1 for white noise, near 0 for a tone (geometric over arithmetic mean). */
  flatness: number;
  /** The fundamental of a harmonic series among the peaks (a voice, a motor's buzz), or null. */
  fundamentalHz: number | null;
  /** Something repeating: its rate, and how regular it is (autocorrelation, 0 to 1). */
  periodicity: { hz: number; strength: number } | null;
  summary: string;
}

/** Silence, as dBFS: the floor every level is clamped to. */
const SILENT_DB = -120;
const dbfs = (amplitude: number) => Math.max(SILENT_DB, 20 * Math.log10(amplitude));
/** Below this peak a clip is taken for silence. */
const SILENCE_PEAK_DBFS = -60;
/** Frequencies below this are rumble the microphone makes, not what was heard. */
const LOWEST_HZ = 20;
const MAX_SPECTRUM_FRAMES = 256;
const ENVELOPE_HZ = 100;

function frameLevels(samples: Float32Array, frame: number): Float64Array {
  const count = Math.max(1, Math.floor(samples.length / frame));
  const levels = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame && i < samples.length; i++) sum += (samples[i] as number) ** 2;
    levels[f] = Math.sqrt(sum / frame);
  }
  return levels;
}

/**
 * The loudness envelope: RMS over 30 ms windows every 10 ms. Windows of several cycles keep a low hum's own
 * waves out of it (a 10 ms window over 1.2 cycles of 120 Hz ripples by itself).
 */
function envelopeOf(samples: Float32Array, sampleRate: number): Float64Array {
  const hop = Math.round(sampleRate / ENVELOPE_HZ);
  const width = 3 * hop;
  const count = Math.max(1, Math.floor((samples.length - width) / hop) + 1);
  const levels = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    let sum = 0;
    for (let i = f * hop; i < f * hop + width && i < samples.length; i++) sum += (samples[i] as number) ** 2;
    levels[f] = Math.sqrt(sum / width);
  }
  return levels;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** A peak's frequency between bins, from the parabola through it and its neighbours. */
function interpolated(magnitude: Float64Array, k: number, binHz: number): number {
  const a = Math.log((magnitude[k - 1] ?? 0) + 1e-12);
  const b = Math.log((magnitude[k] ?? 0) + 1e-12);
  const c = Math.log((magnitude[k + 1] ?? 0) + 1e-12);
  const denominator = a - 2 * b + c;
  const offset = denominator === 0 ? 0 : (0.5 * (a - c)) / denominator;
  return (k + offset) * binHz;
}

function spectralPeaks(magnitude: Float64Array, binHz: number): { peaks: SpectralPeak[]; bins: number[] } {
  const first = Math.max(1, Math.ceil(LOWEST_HZ / binHz));
  const candidates: number[] = [];
  for (let k = first; k < magnitude.length - 1; k++) {
    const m = magnitude[k] as number;
    if (m > (magnitude[k - 1] as number) && m >= (magnitude[k + 1] as number)) candidates.push(k);
  }
  candidates.sort((x, y) => (magnitude[y] as number) - (magnitude[x] as number));
  const strongest = magnitude[candidates[0] ?? 0] ?? 0;
  const bins: number[] = [];
  for (const k of candidates) {
    if (bins.length === 5 || (magnitude[k] as number) < strongest / 100) break;
    // A window's side lobes sit beside its peak: one peak per few bins.
    if (bins.some((chosen) => Math.abs(chosen - k) <= 4)) continue;
    bins.push(k);
  }
  const peaks = bins.map((k) => ({
    hz: Math.round(interpolated(magnitude, k, binHz) * 10) / 10,
    db: Math.round(20 * Math.log10((magnitude[k] as number) / strongest) * 10) / 10,
  }));
  return { peaks, bins };
}

/** Energy within a few bins of `k`, against the whole spectrum's. */
function shareNear(magnitude: Float64Array, k: number): number {
  let near = 0;
  let total = 0;
  for (let i = 1; i < magnitude.length; i++) {
    const energy = (magnitude[i] as number) ** 2;
    total += energy;
    if (Math.abs(i - k) <= 3) near += energy;
  }
  return total === 0 ? 0 : near / total;
}

function flatnessOf(magnitude: Float64Array, binHz: number): number {
  const first = Math.max(1, Math.ceil(LOWEST_HZ / binHz));
  let logSum = 0;
  let sum = 0;
  for (let k = first; k < magnitude.length; k++) {
    const power = (magnitude[k] as number) ** 2 + 1e-20;
    logSum += Math.log(power);
    sum += power;
  }
  const count = magnitude.length - first;
  return Math.exp(logSum / count) / (sum / count);
}

/**
 * The lowest frequency of 70 to 400 Hz of which at least three peaks are whole multiples (up to the 8th, within 3 %):
 * a voice's or a motor's harmonics. Tried from each peak as its 1st to 4th harmonic.
 */
function fundamentalOf(peaks: SpectralPeak[]): number | null {
  const found: number[] = [];
  for (const peak of peaks)
    for (let n = 1; n <= 4; n++) {
      const f0 = peak.hz / n;
      if (f0 < 70 || f0 > 400) continue;
      const fits = peaks.filter((p) => {
        const harmonic = Math.round(p.hz / f0);
        return harmonic >= 1 && harmonic <= 8 && Math.abs(p.hz - harmonic * f0) <= 0.03 * harmonic * f0;
      }).length;
      if (fits >= 3) found.push(f0);
    }
  return found.length === 0 ? null : Math.min(...found);
}

function centroid(magnitude: Float64Array, binHz: number): number {
  let weighted = 0;
  let total = 0;
  for (let k = 1; k < magnitude.length; k++) {
    weighted += k * binHz * (magnitude[k] as number);
    total += magnitude[k] as number;
  }
  return total === 0 ? 0 : weighted / total;
}

/** The loudness envelope's mean and its coefficient of variation (a steady sound's is near 0, speech's near 1). */
function envelopeStats(envelope: Float64Array): { mean: number; variation: number } {
  const n = envelope.length;
  let mean = 0;
  for (const v of envelope) mean += v / n;
  let spread = 0;
  for (const v of envelope) spread += (v - mean) ** 2 / n;
  return { mean, variation: mean === 0 ? 0 : Math.sqrt(spread) / mean };
}

const envelopeVariation = (samples: Float32Array, sampleRate: number) =>
  envelopeStats(envelopeOf(samples, sampleRate)).variation;

const roundOrNull = (hz: number | null) => (hz === null ? null : Math.round(hz * 10) / 10);

interface Repetition {
  hz: number;
  strength: number;
  /** The share of the envelope above half its range: short for a click, long for a beep. */
  duty: number;
}

/**
 * A sound that repeats at 0.5 to 12.5 times a second, from the autocorrelation of the loudness envelope (10 ms
 * frames). The first lag nearly as strong as the best is taken, so a rate is not mistaken for half of itself.
 */
function repetition(samples: Float32Array, sampleRate: number): Repetition | null {
  const envelope = envelopeOf(samples, sampleRate);
  const n = envelope.length;
  const { mean, variation } = envelopeStats(envelope);
  // A steady sound's envelope barely moves: nothing repeats (a knock on a hum still moves it by a tenth).
  if (mean === 0 || variation < 0.04) return null;
  const centred = envelope.map((v) => v - mean);
  let energy = 0;
  for (const v of centred) energy += v * v;
  const minLag = Math.round(ENVELOPE_HZ / 12.5);
  const maxLag = Math.min(Math.round(ENVELOPE_HZ * 2), Math.floor(n / 3));
  if (maxLag <= minLag) return null;
  const r = new Float64Array(maxLag + 2);
  for (let lag = minLag - 1; lag <= maxLag + 1; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += (centred[i] as number) * (centred[i + lag] as number);
    r[lag] = sum / energy;
  }
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) best = Math.max(best, r[lag] as number);
  if (best < 0.4) return null;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const value = r[lag] as number;
    if (value < 0.85 * best || value < (r[lag - 1] as number) || value < (r[lag + 1] as number)) continue;
    const a = r[lag - 1] as number;
    const c = r[lag + 1] as number;
    const denominator = a - 2 * value + c;
    const refined = lag + (denominator === 0 ? 0 : (0.5 * (a - c)) / denominator);
    const low = percentile(envelope, 0.1);
    const high = percentile(envelope, 0.99);
    const duty = envelope.filter((v) => v > low + (high - low) / 2).length / n;
    return { hz: ENVELOPE_HZ / refined, strength: Math.round(value * 100) / 100, duty };
  }
  return null;
}

function loudnessWord(rmsDbfs: number): string {
  if (rmsDbfs >= -20) return "loud";
  if (rmsDbfs >= -40) return "moderate";
  return "quiet";
}

function rateWords(hz: number): string {
  if (hz < 0.9) return `about every ${Math.round(1 / hz)} seconds`;
  if (hz < 1.25) return "about once a second";
  if (hz >= 1.75 && hz < 2.25) return "about twice a second";
  return `about ${hz < 5 ? Math.round(hz * 2) / 2 : Math.round(hz)} times a second`;
}

/** Spectra this flat are noise (rushing air or water, a fan's hiss) rather than a pitch. */
const NOISE_FLATNESS = 0.3;

function steadyWords(a: Omit<AudioAnalysis, "summary">, varying: boolean): string {
  const hz = Math.round(a.dominantHz ?? 0);
  if (a.flatness > NOISE_FLATNESS)
    return a.centroidHz > 2000 ? "broadband hiss or rushing sound" : "broadband rumble or roar";
  if (a.tonal) {
    if (hz < 250) return `steady hum at ${hz} Hz`;
    if (hz < 2000) return `steady tone at ${hz} Hz`;
    return `high-pitched whine at ${hz} Hz`;
  }
  if (a.fundamentalHz !== null)
    return varying ? "a voice or speech" : `buzz at ${Math.round(a.fundamentalHz)} Hz with its overtones`;
  return `mixed sound, strongest at ${hz} Hz`;
}

function summaryOf(a: Omit<AudioAnalysis, "summary">, repeated: Repetition | null, varying: boolean): string {
  if (a.peakDbfs < SILENCE_PEAK_DBFS || a.dominantHz === null) return "Near silence: nothing clear was heard.";
  const loudness = loudnessWord(a.rmsDbfs);
  const parts: string[] = [];
  // A sound under the repeats (a hum with a knock on top) is told too; silence between clicks is not a sound.
  const continuous = !repeated || a.noiseFloorDbfs > a.rmsDbfs - 10;
  if (continuous) parts.push(`${steadyWords(a, varying)}, ${loudness}`);
  if (repeated) {
    const kind = repeated.duty < 0.3 ? "click or knock" : "beep or pulse";
    parts.push(`repeating ${kind} ${rateWords(repeated.hz)}${continuous ? "" : `, ${loudness}`}`);
  }
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function analyseAudio(samples: Float32Array, sampleRate: number): AudioAnalysis {
  let sum = 0;
  let peak = 0;
  for (const s of samples) {
    sum += s * s;
    peak = Math.max(peak, Math.abs(s));
  }
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  const size = sampleRate >= 16_000 ? 4096 : 2048;
  const { magnitude, binHz } = averageSpectrum(samples, sampleRate, size, MAX_SPECTRUM_FRAMES);
  const { peaks, bins } = spectralPeaks(magnitude, binHz);
  const silent = dbfs(peak) < SILENCE_PEAK_DBFS;
  const dominantBin = bins[0];
  const repeated = silent ? null : repetition(samples, sampleRate);
  const varying = envelopeVariation(samples, sampleRate) > 0.5;
  const measured: Omit<AudioAnalysis, "summary"> = {
    durationSeconds: Math.round((samples.length / sampleRate) * 1000) / 1000,
    sampleRate,
    rmsDbfs: Math.round(dbfs(rms) * 10) / 10,
    peakDbfs: Math.round(dbfs(peak) * 10) / 10,
    noiseFloorDbfs: Math.round(dbfs(percentile(frameLevels(samples, Math.round(sampleRate / 50)), 0.1)) * 10) / 10,
    dominantHz: silent || dominantBin === undefined ? null : (peaks[0]?.hz ?? null),
    peaks: silent ? [] : peaks,
    centroidHz: Math.round(centroid(magnitude, binHz)),
    tonal: !silent && dominantBin !== undefined && shareNear(magnitude, dominantBin) > 0.5,
    flatness: Math.round(flatnessOf(magnitude, binHz) * 1000) / 1000,
    fundamentalHz: silent ? null : roundOrNull(fundamentalOf(peaks)),
    periodicity: repeated ? { hz: Math.round(repeated.hz * 100) / 100, strength: repeated.strength } : null,
  };
  return { ...measured, summary: summaryOf(measured, repeated, varying) };
}
