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
    expect(sniffFileType(text("RIFF\u0010\u0000\u0000\u0000WAVE"), FILE_TYPES)).toBe("audio/wav");
    expect(sniffFileType(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f), FILE_TYPES)).toBe("audio/webm");
    expect(sniffFileType(text("OggS\u0000\u0002"), FILE_TYPES)).toBe("audio/ogg");
    expect(sniffFileType(text("\u0000\u0000\u0000\u0020ftypM4A "), FILE_TYPES)).toBe("audio/mp4");
    expect(sniffFileType(text("ID3\u0004"), FILE_TYPES)).toBe("audio/mpeg");
    expect(sniffFileType(Uint8Array.of(0xff, 0xfb, 0x90, 0x64), FILE_TYPES)).toBe("audio/mpeg");
  });

  it("takes no zip, no reserved MPEG layer and no RIFF of another kind for audio", () => {
    const AUDIO = ["audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"] as const;
    expect(sniffFileType(text("PK\u0003\u0004\u0014\u0000"), AUDIO)).toBeNull();
    expect(sniffFileType(Uint8Array.of(0xff, 0xf9, 0x90, 0x64), AUDIO)).toBeNull();
    expect(sniffFileType(WEBP, AUDIO)).toBeNull();
  });

  it("answers only types the caller allows, and nothing for other or cut-short bytes", () => {
    expect(sniffFileType(WEBP, ["application/pdf", "image/png"])).toBeNull();
    expect(sniffFileType(text("%PDF-1.7"), ["image/jpeg"])).toBeNull();
    expect(sniffFileType(text("RIFF\u0010\u0000\u0000\u0000WAVE"), ["image/webp"])).toBeNull();
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
