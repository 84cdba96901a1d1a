/**
 * The cost of measuring a photo in the queue consumer (decode, blur, colours, thumbnail), per megapixel, in V8.
 * The photos are JPEGs made here: a gradient under fine noise, so the encoder has detail to keep, as a camera's
 * would.
 */
import { encode } from "jpeg-js";
import { decodeImage } from "../../worker/capture/image-decode";
import { lookAt } from "../../worker/capture/photo-analysis";
import { median } from "../stats";

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * 1 MP; a 4:3 photo as the app sends it (2048 px on its longest side); the largest the app sends (2048 px square).
 * A 12 MP camera original is not decoded at all (worker/capture/image-decode.ts).
 */
const SIZES: readonly [number, number][] = [
  [1152, 864],
  [2048, 1536],
  [2048, 2048],
];
const RUNS = 3;

function photo(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let seed = 7;
  for (let i = 0; i < width * height; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const grain = (seed % 32) - 16;
    const x = i % width;
    const y = Math.floor(i / width);
    rgba[i * 4] = Math.max(0, Math.min(255, (255 * x) / width + grain));
    rgba[i * 4 + 1] = Math.max(0, Math.min(255, (255 * y) / height + grain));
    rgba[i * 4 + 2] = Math.max(0, Math.min(255, 128 + grain));
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(encode({ data: rgba, width, height }, 85).data);
}

export interface PhotoRow {
  width: number;
  height: number;
  megapixels: number;
  jpegBytes: number;
  decodeMs: number;
  lookMs: number;
  totalMs: number;
  msPerMegapixel: number;
  heapGrowthMb: number;
}

async function measure(width: number, height: number): Promise<PhotoRow> {
  const jpeg = photo(width, height);
  const decode: number[] = [];
  const look: number[] = [];
  let heapGrowth = 0;
  for (let run = 0; run <= RUNS; run++) {
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    const t0 = performance.now();
    const pixels = await decodeImage(jpeg);
    if (!pixels) throw new Error(`the ${width}×${height} JPEG did not decode`);
    const t1 = performance.now();
    await lookAt(pixels);
    const t2 = performance.now();
    heapGrowth = Math.max(heapGrowth, used() - before);
    if (run === 0) continue;
    decode.push(t1 - t0);
    look.push(t2 - t1);
  }
  const megapixels = (width * height) / 1e6;
  const total = median(decode) + median(look);
  return {
    width,
    height,
    megapixels: round(megapixels, 1),
    jpegBytes: jpeg.byteLength,
    decodeMs: round(median(decode), 1),
    lookMs: round(median(look), 1),
    totalMs: round(total, 1),
    msPerMegapixel: round(total / megapixels, 1),
    heapGrowthMb: round(heapGrowth / 1024 / 1024, 1),
  };
}

export async function photoRows(): Promise<PhotoRow[]> {
  const rows: PhotoRow[] = [];
  for (const [width, height] of SIZES) rows.push(await measure(width, height));
  return rows;
}

export function photoTable(rows: readonly PhotoRow[]): string[] {
  return [
    "| photo | JPEG | decode | blur, colours, thumbnail | total | per megapixel | memory growth |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.width}×${r.height} (${r.megapixels} MP) | ${round(r.jpegBytes / 1024 / 1024, 1)} MB | ` +
        `${r.decodeMs} ms | ${r.lookMs} ms | ${r.totalMs} ms | ${r.msPerMegapixel} ms | ${r.heapGrowthMb} MB |`,
    ),
  ];
}
