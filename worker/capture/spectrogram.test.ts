import { describe, expect, it } from "vitest";
import { type Recording, recording } from "../../tests/fixtures/audio";
import { spectrogram } from "./spectrogram";
import { readWav } from "./wav";

const pcmOf = (name: Recording) => readWav(recording(name), 600);

/** The PNG's size and its pixel indices, read back with the platform's inflate. */
async function decoded(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const idat: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === "IDAT") idat.push(png.slice(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const inflated = new Blob(idat).stream().pipeThrough(new DecompressionStream("deflate"));
  const raw = new Uint8Array(await new Response(inflated).arrayBuffer());
  expect(raw.length).toBe(height * (width + 1));
  const pixel = (x: number, y: number) => raw[y * (width + 1) + 1 + x] as number;
  return { width, height, pixel };
}

describe("a recording's spectrogram", () => {
  it("draws a 440 Hz tone as one bright row at its height, all along", async () => {
    const { samples, sampleRate } = pcmOf("tone-440hz-6dbfs.wav");
    const s = await spectrogram(samples, sampleRate);
    const image = await decoded(s.png);
    expect([image.width, image.height, s.topHz]).toEqual([s.width, 256, 8000]);
    // 8000 Hz over 256 rows: 31.25 Hz a row, 440 Hz is 14 rows up from the bottom.
    const row = 255 - Math.round(440 / 31.25);
    for (const x of [0, Math.floor(image.width / 2), image.width - 1]) {
      const column = Array.from({ length: image.height }, (_, y) => image.pixel(x, y));
      expect(column.indexOf(Math.max(...column))).toBe(row);
    }
  });

  it("draws each click of a 2 Hz train as a bright column, dark between", async () => {
    const { samples, sampleRate } = pcmOf("clicks-2hz.wav");
    const image = await decoded((await spectrogram(samples, sampleRate)).png);
    const row = 255 - Math.round(2500 / 31.25);
    const brightColumns = Array.from({ length: image.width }, (_, x) => image.pixel(x, row) > 200).filter(Boolean);
    // Six clicks in three seconds, each a column or two wide.
    expect(brightColumns.length).toBeGreaterThanOrEqual(6);
    expect(brightColumns.length).toBeLessThan(image.width / 10);
  });

  it("keeps to at most 1200 columns for a long clip", async () => {
    const sampleRate = 16_000;
    const samples = new Float32Array(60 * sampleRate).map((_, i) => Math.sin((2 * Math.PI * 1000 * i) / sampleRate));
    const s = await spectrogram(samples, sampleRate);
    expect(s.width).toBe(1200);
    expect((await decoded(s.png)).width).toBe(1200);
  });
});
