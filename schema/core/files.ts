/**
 * What an uploaded file is, by its first bytes alone (never by the type a request declares), and how it is
 * offered back on download. Shared by photos, a deal's documents and a home's asset documents.
 */

/** The file types Haven stores, each known by its signature. */
export const FILE_TYPES = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/webp",
  "audio/webm",
  "audio/ogg",
  "audio/mp4",
  "audio/mpeg",
  "audio/wav",
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/**
 * Whether the bytes begin as a file of `type` does: PDF's `%PDF-`, JPEG's SOI and marker, PNG's eight, WebP's and
 * WAV's RIFF, WebM's EBML header, Ogg's page, MP4's `ftyp` box, and MP3's ID3 tag or frame sync.
 */
function hasSignature(type: FileType, bytes: Uint8Array): boolean {
  const at = (offset: number, ...sig: number[]) =>
    bytes.byteLength >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);
  const ascii = (offset: number, text: string) => at(offset, ...[...text].map((ch) => ch.charCodeAt(0)));
  switch (type) {
    case "application/pdf":
      return ascii(0, "%PDF-");
    case "image/jpeg":
      return at(0, 0xff, 0xd8, 0xff);
    case "image/png":
      return at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case "image/webp":
      return ascii(0, "RIFF") && ascii(8, "WEBP");
    case "audio/webm":
      return at(0, 0x1a, 0x45, 0xdf, 0xa3);
    case "audio/ogg":
      return ascii(0, "OggS");
    case "audio/mp4":
      return ascii(4, "ftyp");
    case "audio/mpeg":
      // An ID3v2 tag, or an MPEG audio frame: 11 sync bits, then a layer that is not the reserved 00.
      return ascii(0, "ID3") || (bytes.byteLength >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe6) > 0xe0);
    case "audio/wav":
      return ascii(0, "RIFF") && ascii(8, "WAVE");
  }
}

/** The bytes a sniff needs to see: WebP's signature ends at the twelfth. */
export const SNIFF_BYTES = 12;

/** The type of `allowed` the bytes are, by their first bytes alone; null for anything else. */
export function sniffFileType<T extends FileType>(bytes: Uint8Array, allowed: readonly T[]): T | null {
  return allowed.find((type) => hasSignature(type, bytes)) ?? null;
}

const EXTENSIONS: Readonly<Record<FileType, readonly [string, ...string[]]>> = {
  "application/pdf": [".pdf"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/png": [".png"],
  "image/webp": [".webp"],
  "audio/webm": [".webm"],
  "audio/ogg": [".ogg", ".opus"],
  "audio/mp4": [".m4a", ".mp4"],
  "audio/mpeg": [".mp3"],
  "audio/wav": [".wav"],
};

/**
 * The name kept for a file of `type`, at most `maxChars` long: the one given, with the type's extension added
 * when it has another (`scan.pdf` holding a PNG is kept as `scan.pdf.png`), so it opens as what it is.
 */
export function nameForType(name: string, type: FileType, maxChars: number): string {
  const extensions = EXTENSIONS[type];
  if (extensions.some((extension) => name.toLowerCase().endsWith(extension))) return name;
  const extension = extensions[0];
  return `${name.slice(0, maxChars - extension.length)}${extension}`;
}

/** `Content-Disposition` for a download: an ASCII fallback, and the exact name in RFC 5987 form. */
export function attachmentHeader(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  // encodeURIComponent leaves ' ( ) * as they are, which RFC 5987's value may not hold.
  const exact = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
