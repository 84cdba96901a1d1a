/**
 * Writing an 8-bit PNG (a spectrogram's indexed colours, a photo's thumbnail) with the platform's own zlib
 * (CompressionStream "deflate" is RFC 1950, the format PNG's IDAT holds): no image library, and the same bytes in
 * workerd and Node.
 */
import { concatBytes } from "../../schema/core/bytes";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The PNG of `width` × `height` pixels of `channels` bytes each (rows top first), with its header and chunks. */
async function png(
  width: number,
  height: number,
  colourType: number,
  channels: number,
  pixels: Uint8Array,
  extra: Uint8Array[],
) {
  const rowBytes = width * channels;
  if (pixels.length !== height * rowBytes) throw new Error("pixels do not fill the image");
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, colourType, 0, 0, 0], 8);
  // Each row starts with its filter type (0: none).
  const raw = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  return concatBytes([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...extra,
    chunk("IDAT", await zlib(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** A PNG of `width` × `height` pixels, each an index into `palette` (RGB triples, at most 256), rows top first. */
export function indexedPng(width: number, height: number, pixels: Uint8Array, palette: Uint8Array) {
  return png(width, height, 3, 1, pixels, [chunk("PLTE", palette)]);
}

/** A truecolour PNG of `width` × `height` RGB pixels, rows top first (a photo's thumbnail). */
export function rgbPng(width: number, height: number, rgb: Uint8Array) {
  return png(width, height, 2, 3, rgb, []);
}
