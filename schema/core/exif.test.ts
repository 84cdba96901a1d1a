import { describe, expect, it } from "vitest";
import { GPS_JPEG, GPS_PNG } from "../../tests/fixtures/photos";
import { imageMetadata } from "./exif";

/** The JPEG's EXIF (the TIFF after "Exif\0\0"), to wrap in other containers. */
function exifOf(jpeg: Uint8Array): Uint8Array {
  for (let at = 2; at < jpeg.length; ) {
    const length = ((jpeg[at + 2] as number) << 8) | (jpeg[at + 3] as number);
    if (jpeg[at + 1] === 0xe1) return jpeg.slice(at + 10, at + 2 + length);
    at += 2 + length;
  }
  throw new Error("no EXIF");
}

function webpWith(chunkType: string, body: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(8 + body.length + (body.length % 2));
  chunk.set([...chunkType].map((c) => c.charCodeAt(0)));
  new DataView(chunk.buffer).setUint32(4, body.length, true);
  chunk.set(body, 8);
  const head = new TextEncoder().encode("RIFF\0\0\0\0WEBP");
  return new Uint8Array([...head, ...chunk]);
}

describe("an image's metadata", () => {
  it("finds the location and serial exiftool wrote into a real JPEG", () => {
    expect(imageMetadata(GPS_JPEG())).toEqual({ location: true, serial: true });
  });

  it("finds a location in a PNG's eXIf chunk and a WebP's EXIF chunk", () => {
    expect(imageMetadata(GPS_PNG()).location).toBe(true);
    const tiff = exifOf(GPS_JPEG());
    expect(imageMetadata(webpWith("EXIF", tiff))).toEqual({ location: true, serial: true });
  });

  it("finds a location written as XMP", () => {
    const xmp = new TextEncoder().encode('<x:xmpmeta><rdf:Description exif:GPSLatitude="51,30.44N"/></x:xmpmeta>');
    expect(imageMetadata(webpWith("XMP ", xmp))).toEqual({ location: true, serial: false });
  });

  it("finds nothing in an image without them, or in bytes that are no image", () => {
    const jpeg = GPS_JPEG();
    // The same picture with its APP1 segment cut out, as a browser's redraw leaves it.
    const app1 = jpeg.indexOf(0xe1, 2) - 1;
    const length = ((jpeg[app1 + 2] as number) << 8) | (jpeg[app1 + 3] as number);
    const stripped = new Uint8Array([...jpeg.subarray(0, app1), ...jpeg.subarray(app1 + 2 + length)]);
    expect(imageMetadata(stripped)).toEqual({ location: false, serial: false });
    expect(imageMetadata(new Uint8Array([0x50, 0x4b, 3, 4]))).toEqual({ location: false, serial: false });
    expect(imageMetadata(new Uint8Array(0))).toEqual({ location: false, serial: false });
  });

  it("reads a damaged file as far as it holds together, without throwing", () => {
    const jpeg = GPS_JPEG();
    for (const cut of [3, 20, 40, 100, 400]) expect(() => imageMetadata(jpeg.subarray(0, cut))).not.toThrow();
    const tiff = exifOf(jpeg);
    // An IFD pointing at itself, and offsets past the end.
    const loop = tiff.slice();
    new DataView(loop.buffer).setUint32(4, 0xfffffff0, loop[0] === 0x49);
    expect(imageMetadata(webpWith("EXIF", loop)).location).toBe(false);
  });
});
