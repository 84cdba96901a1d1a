/**
 * What a photo shows at a glance, from its pixels: its dominant colours (a stain's brown, mould's green), whether it
 * is sharp (the variance of its Laplacian: a blurred photo has few edges), and a thumbnail for the inbox.
 */
import type { Pixels } from "./image-decode";
import { rgbPng } from "./png";

/** The blur score is measured at this size, so a phone's 12 MP photo and a 2 MP one are judged alike. */
export const BLUR_MEASURE_SIDE_PX = 1024;
/** Below this variance of the Laplacian (8-bit grey, at BLUR_MEASURE_SIDE_PX) a photo is called blurry. */
export const BLUR_THRESHOLD = 100;
export const THUMBNAIL_SIDE_PX = 320;
/** Colours closer than this (RGB distance) count as one. */
const SAME_COLOUR = 56;

export interface PhotoLook {
  colours: { hex: string; share: number }[];
  blur: { variance: number; sharp: boolean };
  thumbnail: { png: Uint8Array; width: number; height: number };
}

/** RGB of the image scaled to fit `maxSide`, each pixel the mean of the block it covers (alpha over white). */
export function downscale(image: Pixels, maxSide: number): { width: number; height: number; rgb: Uint8Array } {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * image.width + sx) * 4;
          const a = (image.rgba[i + 3] as number) / 255;
          r += (image.rgba[i] as number) * a + 255 * (1 - a);
          g += (image.rgba[i + 1] as number) * a + 255 * (1 - a);
          b += (image.rgba[i + 2] as number) * a + 255 * (1 - a);
        }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 3;
      rgb[o] = Math.round(r / n);
      rgb[o + 1] = Math.round(g / n);
      rgb[o + 2] = Math.round(b / n);
    }
  }
  return { width, height, rgb };
}

/** Variance of the 4-neighbour Laplacian of the grey image. */
export function laplacianVariance(width: number, height: number, rgb: Uint8Array): number {
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++)
    grey[i] = 0.299 * (rgb[i * 3] as number) + 0.587 * (rgb[i * 3 + 1] as number) + 0.114 * (rgb[i * 3 + 2] as number);
  let sum = 0;
  let sumSquares = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const value =
        4 * (grey[i] as number) -
        (grey[i - 1] as number) -
        (grey[i + 1] as number) -
        (grey[i - width] as number) -
        (grey[i + width] as number);
      sum += value;
      sumSquares += value * value;
      n += 1;
    }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSquares / n - mean * mean;
}

const hex = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** Up to five colours covering most of the picture, largest share first: a histogram of 4-bit channels, merged. */
export function dominantColours(rgb: Uint8Array): { hex: string; share: number }[] {
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const pixels = rgb.length / 3;
  for (let i = 0; i < pixels; i++) {
    const r = rgb[i * 3] as number;
    const g = rgb[i * 3 + 1] as number;
    const b = rgb[i * 3 + 2] as number;
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n += 1;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
  }
  const groups: { n: number; r: number; g: number; b: number }[] = [];
  for (const bin of [...bins.values()].sort((a, b) => b.n - a.n)) {
    const [r, g, b] = [bin.r / bin.n, bin.g / bin.n, bin.b / bin.n];
    const near = groups.find(
      (group) => Math.hypot(group.r / group.n - r, group.g / group.n - g, group.b / group.n - b) < SAME_COLOUR,
    );
    if (near) {
      near.n += bin.n;
      near.r += bin.r;
      near.g += bin.g;
      near.b += bin.b;
    } else groups.push({ ...bin });
  }
  return groups
    .sort((a, b) => b.n - a.n)
    .slice(0, 5)
    .filter((group) => group.n / pixels >= 0.02)
    .map((group) => ({
      hex: hex(group.r / group.n, group.g / group.n, group.b / group.n),
      share: Math.round((group.n / pixels) * 1000) / 1000,
    }));
}

export async function lookAt(image: Pixels): Promise<PhotoLook> {
  const measured = downscale(image, BLUR_MEASURE_SIDE_PX);
  const variance = laplacianVariance(measured.width, measured.height, measured.rgb);
  const small = downscale(image, 64);
  const thumb = downscale(image, THUMBNAIL_SIDE_PX);
  return {
    colours: dominantColours(small.rgb),
    blur: { variance: Math.round(variance * 10) / 10, sharp: variance >= BLUR_THRESHOLD },
    thumbnail: { png: await rgbPng(thumb.width, thumb.height, thumb.rgb), width: thumb.width, height: thumb.height },
  };
}
