/**
 * What an image's metadata gives away: a location (EXIF GPS tags, or XMP's) and the camera's serial number. Read from
 * a JPEG's APP1 segments, a PNG's eXIf and text chunks and a WebP's EXIF and XMP chunks, with every offset checked
 * against the bytes, so a damaged or hostile file is read as far as it holds together and no further. The server
 * refuses a photo that still carries a location; the browser redraws photos so that none does.
 */

export interface ImageMetadata {
  /** GPS tags (a GPS IFD with entries, or XMP's exif:GPS… properties). */
  location: boolean;
  /** The camera body's or lens's serial number. */
  serial: boolean;
}

const GPS_IFD = 0x8825;
const EXIF_IFD = 0x8769;
const SERIAL_TAGS = new Set([0xa431, 0xa435, 0xc62f]);
const MAX_ENTRIES = 1000;
const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0, 0];

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) =>
  prefix.every((b, i) => bytes[at + i] === b);
/** Bytes as characters one to one (metadata's names are ASCII), at most the first MiB. */
function text(bytes: Uint8Array): string {
  let out = "";
  const end = Math.min(bytes.length, 1 << 20);
  for (let at = 0; at < end; at += 8192) out += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + 8192)));
  return out;
}

/** Reads a TIFF structure (EXIF's body): whether its GPS IFD has entries, and whether a serial tag is present. */
function readTiff(tiff: Uint8Array, found: ImageMetadata): void {
  if (tiff.length < 8) return;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return;
  const u16 = (at: number) => (at + 2 <= tiff.length ? view.getUint16(at, little) : null);
  const u32 = (at: number) => (at + 4 <= tiff.length ? view.getUint32(at, little) : null);
  const visited = new Set<number>();
  const walk = (offset: number, kind: "main" | "gps") => {
    if (visited.has(offset) || visited.size > 16) return;
    visited.add(offset);
    const count = u16(offset);
    if (count === null) return;
    if (kind === "gps" && count > 0) found.location = true;
    for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
      const entry = offset + 2 + i * 12;
      const tag = u16(entry);
      const pointer = u32(entry + 8);
      if (tag === null || pointer === null) return;
      if (SERIAL_TAGS.has(tag)) found.serial = true;
      if (tag === GPS_IFD) walk(pointer, "gps");
      if (tag === EXIF_IFD) walk(pointer, "main");
    }
    const next = u32(offset + 2 + count * 12);
    if (kind === "main" && next) walk(next, "main");
  };
  const first = u32(4);
  if (first !== null) walk(first, "main");
}

/** XMP is text: a location is any exif:GPS… property, a serial aux:SerialNumber or exifEX:BodySerialNumber. */
function readXmp(xmp: string, found: ImageMetadata): void {
  if (/exif:GPS(Latitude|Longitude)/.test(xmp)) found.location = true;
  if (/(aux:SerialNumber|exifEX:BodySerialNumber|aux:LensSerialNumber)/.test(xmp)) found.serial = true;
}

function readJpeg(bytes: Uint8Array, found: ImageMetadata): void {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1] as number;
    // Start of scan: the image data follows, and metadata comes before it.
    if (marker === 0xda) return;
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    if (length < 2) return;
    const body = bytes.subarray(at + 4, Math.min(bytes.length, at + 2 + length));
    if (marker === 0xe1) {
      if (startsWith(body, 0, EXIF_PREFIX)) readTiff(body.subarray(6), found);
      else readXmp(text(body), found);
    }
    at += 2 + length;
  }
}

function readPng(bytes: Uint8Array, found: ImageMetadata): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = text(bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length));
    if (type === "eXIf") readTiff(body, found);
    if (type === "iTXt" || type === "tEXt" || type === "zTXt") readXmp(text(body), found);
    if (type === "IEND") return;
    at += 12 + length;
  }
}

function readWebp(bytes: Uint8Array, found: ImageMetadata): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.length; ) {
    const type = text(bytes.subarray(at, at + 4));
    const length = view.getUint32(at + 4, true);
    const body = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length));
    if (type === "EXIF") readTiff(startsWith(body, 0, EXIF_PREFIX) ? body.subarray(6) : body, found);
    if (type === "XMP ") readXmp(text(body), found);
    at += 8 + length + (length % 2);
  }
}

/** The location and serial an image's metadata carries; an image of no known format carries none. */
export function imageMetadata(bytes: Uint8Array): ImageMetadata {
  const found: ImageMetadata = { location: false, serial: false };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) readJpeg(bytes, found);
  else if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47])) readPng(bytes, found);
  else if (text(bytes.subarray(0, 4)) === "RIFF" && text(bytes.subarray(8, 12)) === "WEBP") readWebp(bytes, found);
  return found;
}
