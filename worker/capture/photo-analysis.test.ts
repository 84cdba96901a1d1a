/**
 * A photo's look measured on real JPEG bytes, each decoded by the consumer's own decoder: the committed ceiling
 * photo, a detailed picture sharp and blurred, a picture of two known colours; and which sizes are decoded at all.
 */
import { encode } from "jpeg-js";
import { describe, expect, it } from "vitest";
import { GPS_JPEG } from "../../tests/fixtures/photos";
import { decodeImage, type Pixels } from "./image-decode";
import { BLUR_THRESHOLD, lookAt } from "./photo-analysis";

const photo = GPS_JPEG();

/** A box blur of radius `r`, run three times (close to a Gaussian): the photo out of focus. */
function blurred(image: Pixels, r: number): Pixels {
  let src = image.rgba;
  for (let pass = 0; pass < 3; pass++) {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++)
        for (let c = 0; c < 4; c++) {
          let sum = 0;
          let n = 0;
          for (let dx = -r; dx <= r; dx++) {
            const sx = Math.min(image.width - 1, Math.max(0, x + dx));
            sum += src[(y * image.width + sx) * 4 + c] as number;
            n += 1;
          }
          out[(y * image.width + x) * 4 + c] = sum / n;
        }
    const vertical = new Uint8Array(src.length);
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++)
        for (let c = 0; c < 4; c++) {
          let sum = 0;
          let n = 0;
          for (let dy = -r; dy <= r; dy++) {
            const sy = Math.min(image.height - 1, Math.max(0, y + dy));
            sum += out[(sy * image.width + x) * 4 + c] as number;
            n += 1;
          }
          vertical[(y * image.width + x) * 4 + c] = sum / n;
        }
    src = vertical;
  }
  return { ...image, rgba: src };
}

describe("a photo's look", () => {
  it("sees the ceiling and its stain in the committed photo, and makes its thumbnail", async () => {
    const image = await decodeImage(photo);
    if (!image) throw new Error("the fixture did not decode");
    expect([image.width, image.height]).toEqual([2400, 1600]);
    const look = await lookAt(image);
    // A pale ceiling, and about a tenth of the picture the stain's brown.
    expect(look.colours[0]?.share).toBeGreaterThan(0.8);
    expect(look.colours[1]?.share).toBeGreaterThan(0.05);
    expect(look.thumbnail).toMatchObject({ width: 320, height: 213 });
    const thumb = await decodeImage(look.thumbnail.png);
    expect([thumb?.width, thumb?.height]).toEqual([320, 213]);
  });

  it("calls a detailed picture sharp and the same picture out of focus blurry", async () => {
    // Tiles of random greys with hard edges, as brickwork or a tiled wall, through a real JPEG encoder.
    const width = 1200;
    const height = 800;
    const rgba = new Uint8Array(width * height * 4);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const tiles = Array.from({ length: 40 * 27 }, () => Math.round(60 + random() * 160));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const v = tiles[Math.floor(y / 30) * 40 + Math.floor(x / 30)] ?? 128;
        rgba.set([v, v, v, 255], (y * width + x) * 4);
      }
    const image = await decodeImage(new Uint8Array(encode({ data: rgba, width, height }, 90).data));
    if (!image) throw new Error("did not decode");
    const sharp = await lookAt(image);
    const soft = await lookAt(blurred(image, 4));
    expect(sharp.blur.sharp).toBe(true);
    expect(soft.blur.sharp).toBe(false);
    expect(soft.blur.variance).toBeLessThan(BLUR_THRESHOLD);
    expect(sharp.blur.variance).toBeGreaterThan(soft.blur.variance * 4);
  }, 60_000);

  it("finds the colours a picture is made of, and their shares", async () => {
    const width = 200;
    const height = 100;
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        // Three quarters a ceiling's off-white, a quarter a water stain's brown.
        const [r, g, b] = x < 150 ? [236, 232, 220] : [139, 94, 52];
        rgba.set([r, g, b, 255], i);
      }
    const jpeg = new Uint8Array(encode({ data: rgba, width, height }, 90).data);
    const image = await decodeImage(jpeg);
    if (!image) throw new Error("did not decode");
    const { colours } = await lookAt(image);
    expect(colours[0]?.share).toBeCloseTo(0.75, 1);
    expect(colours[1]?.share).toBeCloseTo(0.25, 1);
    const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    for (const [found, expected] of [
      [colours[0]?.hex ?? "", [236, 232, 220]],
      [colours[1]?.hex ?? "", [139, 94, 52]],
    ] as const)
      for (const [i, value] of rgb(found).entries()) expect(Math.abs(value - (expected[i] ?? 0))).toBeLessThan(12);
  });
});

describe("a photo's pixels", () => {
  const uniform = (width: number, height: number) =>
    new Uint8Array(encode({ data: new Uint8Array(width * height * 4).fill(160), width, height }, 85).data);

  it("decodes the largest photo the app sends, and leaves a 12 MP original to its header", async () => {
    const largest = await decodeImage(uniform(2048, 2048));
    expect([largest?.width, largest?.height]).toEqual([2048, 2048]);
    // jpeg-js would allocate some 250 MB for it, twice what the consumer has.
    expect(await decodeImage(uniform(4000, 3000))).toBeNull();
  });
});
