/** What a stored file is taken for, by its first bytes, for each route's own list of types. */
import { describe, expect, it } from "vitest";
import { FILE_TYPES, nameForType, SNIFF_BYTES, sniffFileType } from "./files";

const text = (value: string) => new TextEncoder().encode(value);
const WEBP = text("RIFF\u0010\u0000\u0000\u0000WEBPVP8 ");

describe("sniffFileType", () => {
  it("knows each type by its signature, within the first SNIFF_BYTES", () => {
    expect(sniffFileType(text("%PDF-1.7\n"), FILE_TYPES)).toBe("application/pdf");
    expect(sniffFileType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), FILE_TYPES)).toBe("image/jpeg");
    expect(sniffFileType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), FILE_TYPES)).toBe("image/png");
    expect(sniffFileType(WEBP.subarray(0, SNIFF_BYTES), FILE_TYPES)).toBe("image/webp");
  });

  it("answers only types the caller allows, and nothing for other or cut-short bytes", () => {
    expect(sniffFileType(WEBP, ["application/pdf", "image/png"])).toBeNull();
    expect(sniffFileType(text("%PDF-1.7"), ["image/jpeg"])).toBeNull();
    expect(sniffFileType(text("RIFF\u0010\u0000\u0000\u0000WAVE"), FILE_TYPES)).toBeNull();
    expect(sniffFileType(text("RIFF\u0010\u0000\u0000\u0000WEB"), FILE_TYPES)).toBeNull();
    expect(sniffFileType(text("<html>%PDF-"), FILE_TYPES)).toBeNull();
    expect(sniffFileType(new Uint8Array(0), FILE_TYPES)).toBeNull();
  });
});

describe("nameForType", () => {
  it("adds the type's extension when the name has another, within the length given", () => {
    expect(nameForType("receipt.pdf", "image/webp", 200)).toBe("receipt.pdf.webp");
    expect(nameForType("photo.WEBP", "image/webp", 200)).toBe("photo.WEBP");
    expect(nameForType("a".repeat(30), "application/pdf", 20)).toBe(`${"a".repeat(16)}.pdf`);
  });
});
