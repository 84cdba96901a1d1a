import { describe, expect, it } from "vitest";
import { recording } from "../../tests/fixtures/audio";
import { readWav, WavError } from "./wav";

/** A WAV header for `dataBytes` of samples, with any field replaced. */
function header(
  fields: Partial<{ channels: number; rate: number; bits: number; align: number; format: number }>,
  dataBytes: number,
  claimed = dataBytes,
): Uint8Array {
  const f = { channels: 1, rate: 16_000, bits: 16, format: 1, ...fields };
  const align = fields.align ?? f.channels * (f.bits / 8);
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => {
    for (const [i, ch] of [...s].entries()) view.setUint8(at + i, ch.charCodeAt(0));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, f.format, true);
  view.setUint16(22, f.channels, true);
  view.setUint32(24, f.rate, true);
  view.setUint32(28, f.rate * align, true);
  view.setUint16(32, align, true);
  view.setUint16(34, f.bits, true);
  text(36, "data");
  view.setUint32(40, claimed, true);
  return bytes;
}

describe("readWav", () => {
  it("reads sox's 16-bit mono WAV: rate, length and levels", () => {
    const pcm = readWav(recording("tone-440hz-6dbfs.wav"), 600);
    expect([pcm.sampleRate, pcm.channels, pcm.bitsPerSample, pcm.samples.length]).toEqual([16_000, 1, 16, 32_000]);
    expect(pcm.durationSeconds).toBe(2);
    expect(Math.max(...pcm.samples)).toBeCloseTo(0.5, 2);
  });

  it("mixes channels down and reads 8-, 24- and 32-bit and float samples", () => {
    const stereo = header({ channels: 2 }, 8);
    new DataView(stereo.buffer).setInt16(44, 16_384, true);
    new DataView(stereo.buffer).setInt16(46, -16_384, true);
    new DataView(stereo.buffer).setInt16(48, 16_384, true);
    new DataView(stereo.buffer).setInt16(50, 16_384, true);
    expect(Array.from(readWav(stereo, 10).samples)).toEqual([0, 0.5]);
    const eight = header({ bits: 8 }, 2);
    eight.set([255, 0], 44);
    expect(Array.from(readWav(eight, 10).samples).map((v) => Math.round(v * 100) / 100)).toEqual([0.99, -1]);
    const twentyFour = header({ bits: 24 }, 3);
    twentyFour.set([0, 0, 0x40], 44);
    expect(Array.from(readWav(twentyFour, 10).samples)).toEqual([0.5]);
    const float = header({ bits: 32, format: 3 }, 8);
    new DataView(float.buffer).setFloat32(44, -0.25, true);
    new DataView(float.buffer).setFloat32(48, Number.NaN, true);
    expect(Array.from(readWav(float, 10).samples)).toEqual([-0.25, 0]);
  });

  it("skips other chunks, padded to an even length", () => {
    const tone = recording("tone-440hz-6dbfs.wav");
    const list = new Uint8Array([...new TextEncoder().encode("LIST"), 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array([...tone.subarray(0, 36), ...list, ...tone.subarray(36)]);
    expect(readWav(withList, 600).samples.length).toBe(32_000);
  });

  it.each([
    ["an empty file", new Uint8Array(0), "too short"],
    ["a zip", new Uint8Array([0x50, 0x4b, 3, 4, ...new Uint8Array(60)]), "not a WAV"],
    ["no channels", header({ channels: 0, align: 2 }, 4), "0 channels"],
    ["a sample rate of 0", header({ rate: 0 }, 4), "sample rate of 0"],
    ["12-bit samples", header({ bits: 12, align: 2 }, 4), "12-bit"],
    ["a block size that does not fit", header({ align: 3 }, 6), "block size"],
    ["more data than the file holds", header({}, 4, 1_000_000), "more sample data"],
    ["compressed samples", header({ format: 2 }, 4), "uncompressed"],
    ["no samples", header({}, 0), "no samples"],
  ])("refuses %s in words", (_what, bytes, words) => {
    expect(() => readWav(bytes, 600)).toThrow(WavError);
    expect(() => readWav(bytes, 600)).toThrow(words);
  });

  it("refuses a recording longer than the limit before reading a sample", () => {
    // Eleven minutes at 4 kHz, 8 bits: the most minutes a small file can hold.
    const long = header({ rate: 4_000, bits: 8 }, 11 * 60 * 4_000);
    expect(() => readWav(long, 600)).toThrow("660 s long; at most 600 s");
  });
});
