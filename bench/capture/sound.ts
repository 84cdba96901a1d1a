/** Sound for the capture benchmarks, made here so every run measures the same clip. */
import { pcm16Wav } from "../../schema/core/wav";

const RATE = 16_000;

/** A furnace-like clip: a hum, a knock twice a second, a little noise; as a 16 kHz 16-bit WAV. */
export function furnaceWav(seconds: number): Uint8Array<ArrayBuffer> {
  const samples = new Float32Array(Math.round(seconds * RATE));
  let seed = 1;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  for (let i = 0; i < samples.length; i++) {
    const knock = i % (RATE / 2) < 64 ? 0.6 * Math.sin((2 * Math.PI * 2500 * i) / RATE) : 0;
    samples[i] = 0.25 * Math.sin((2 * Math.PI * 120 * i) / RATE) + knock + 0.02 * noise();
  }
  return pcm16Wav(samples, RATE);
}
