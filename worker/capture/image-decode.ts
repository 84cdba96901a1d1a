/**
 * A photo's pixels, for its analysis: JPEG through `jpeg-js` (pure JavaScript, no Buffer needed for decoding), PNG
 * of 8-bit grey, grey+alpha, RGB or RGBA without interlacing through the platform's own zlib. Anything else (WebP,
 * 16-bit or interlaced PNG) answers null: the photo is then measured by its header alone.
 */
import { decode as decodeJpeg } from "jpeg-js";

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, rows top first. */
  rgba: Uint8Array;
}

/**
 * The consumer has 128 MB. jpeg-js allocates about 20 bytes a pixel while it decodes (its component planes and
 * coefficient blocks besides the RGBA): a 4.2 MP photo (2048 px square, the largest the app sends) needs under
 * 96 MB, a 12 MP camera original about 250 MB (bench/capture/photos.ts). It counts what it allocates and stops
 * before going past JPEG_DECODE_MAX_MB; a PNG holds its inflated rows and the RGBA, about 8 bytes a pixel. A larger
 * photo (only the API can send one) is measured by its header alone.
 */
const MAX_MEGAPIXELS = 5;
const JPEG_DECODE_MAX_MB = 96;

async function inflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

async function decodePng(bytes: Uint8Array): Promise<Pixels | null> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  while (at + 8 <= bytes.byteLength) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.byteLength !== length) return null;
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = bytes[at + 16];
      channels = CHANNELS[bytes[at + 17] ?? -1] ?? 0;
      if (depth !== 8 || channels === 0 || bytes[at + 20] !== 0) return null;
      if (width * height > MAX_MEGAPIXELS * 1e6 || width === 0 || height === 0) return null;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (channels === 0 || idat.length === 0) return null;
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.byteLength, 0));
  let offset = 0;
  for (const d of idat) {
    joined.set(d, offset);
    offset += d.byteLength;
  }
  const raw = await inflate(joined);
  const stride = width * channels;
  if (raw.byteLength < height * (stride + 1)) return null;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (out[y * stride + x - channels] as number) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const upLeft = y > 0 && x >= channels ? (out[(y - 1) * stride + x - channels] as number) : 0;
      const value = line[x] as number;
      const predicted =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : paeth(left, up, upLeft);
      if (filter === undefined || filter > 4) return null;
      out[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    rgba[i * 4] = out[s] as number;
    rgba[i * 4 + 1] = (grey ? out[s] : out[s + 1]) as number;
    rgba[i * 4 + 2] = (grey ? out[s] : out[s + 2]) as number;
    rgba[i * 4 + 3] = channels === 4 ? (out[s + 3] as number) : channels === 2 ? (out[s + 1] as number) : 255;
  }
  return { width, height, rgba };
}

/** The photo's pixels, or null for a format or variant not decoded here (or a file that does not hold together). */
export async function decodeImage(bytes: Uint8Array): Promise<Pixels | null> {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const image = decodeJpeg(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: JPEG_DECODE_MAX_MB,
      });
      return { width: image.width, height: image.height, rgba: image.data };
    }
    if (bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return await decodePng(bytes);
  } catch {
    return null;
  }
  return null;
}
