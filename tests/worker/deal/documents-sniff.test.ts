/**
 * What a document is taken for, and the schemas of its commands: pure, no room needed. The type comes from the
 * bytes alone; a name that says otherwise gets the right extension added.
 */
import { describe, expect, it } from "vitest";
import { DEAL_DOCUMENT_MAX_BYTES, DEAL_DOCUMENT_NAME_MAX_CHARS, DEAL_REVIEW_COMMENT_MAX_CHARS } from "../../../config";
import { attachmentHeader } from "../../../schema/core/files";
import { documentCommands, documentRoomCommands } from "../../../schema/deal/document-commands";
import { nameForType, sniffDocumentType } from "../../../worker/routes/deal-documents";

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe("sniffDocumentType", () => {
  it("knows a PDF, a JPEG and a PNG by their first bytes", () => {
    expect(sniffDocumentType(text("%PDF-1.7\n%âãÏÓ\n"))).toBe("application/pdf");
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10))).toBe("image/jpeg");
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00))).toBe("image/png");
  });

  it("refuses anything else: an executable, text, HTML, WebP, nothing, a signature cut short", () => {
    expect(sniffDocumentType(bytes(0x4d, 0x5a, 0x90, 0x00))).toBeNull();
    expect(sniffDocumentType(text("Inspection report: all good"))).toBeNull();
    expect(sniffDocumentType(text("<html><script>alert(1)</script>"))).toBeNull();
    expect(sniffDocumentType(text("RIFF\0\0\0\0WEBPVP8 "))).toBeNull();
    expect(sniffDocumentType(new Uint8Array(0))).toBeNull();
    expect(sniffDocumentType(text("%PDF"))).toBeNull();
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeNull();
    // The signature must be at the start, not somewhere inside.
    expect(sniffDocumentType(text(" %PDF-1.7"))).toBeNull();
  });
});

describe("nameForType", () => {
  it("keeps a name whose extension fits, in any case", () => {
    expect(nameForType("inspection.pdf", "application/pdf")).toBe("inspection.pdf");
    expect(nameForType("Letter.PDF", "application/pdf")).toBe("Letter.PDF");
    expect(nameForType("id.jpeg", "image/jpeg")).toBe("id.jpeg");
    expect(nameForType("id.JPG", "image/jpeg")).toBe("id.JPG");
  });

  it("adds the type's extension to a name that claims another, within the longest name", () => {
    expect(nameForType("scan.pdf", "image/png")).toBe("scan.pdf.png");
    expect(nameForType("report", "application/pdf")).toBe("report.pdf");
    const long = nameForType("a".repeat(DEAL_DOCUMENT_NAME_MAX_CHARS), "image/jpeg");
    expect(long).toHaveLength(DEAL_DOCUMENT_NAME_MAX_CHARS);
    expect(long.endsWith(".jpg")).toBe(true);
  });
});

describe("attachmentHeader", () => {
  it("offers the file as an attachment, the exact name in RFC 5987 form and a safe ASCII fallback", () => {
    expect(attachmentHeader("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    const header = attachmentHeader('Gutachten "Müller".pdf');
    expect(header).toContain('filename="Gutachten _M_ller_.pdf"');
    expect(header).toContain("filename*=UTF-8''Gutachten%20%22M%C3%BCller%22.pdf");
  });
});

describe("document command schemas", () => {
  const review = documentCommands["deal.document.review"];
  const submit = documentRoomCommands["deal.document.submit"];
  const version = { r2Key: "rooms/r/docs/u", name: "a.pdf", type: "application/pdf", size: 10, sha256: "a".repeat(64) };

  it("asks a comment of a returned document, and keeps an approval's optional", () => {
    expect(review.safeParse({ documentId: "d1", decision: "approve" }).success).toBe(true);
    expect(review.safeParse({ documentId: "d1", decision: "return" }).success).toBe(false);
    expect(review.safeParse({ documentId: "d1", decision: "return", comment: "   " }).success).toBe(false);
    expect(review.parse({ documentId: "d1", decision: "return", comment: " Page 3 is missing " }).comment).toBe(
      "Page 3 is missing",
    );
    const tooLong = "x".repeat(DEAL_REVIEW_COMMENT_MAX_CHARS + 1);
    expect(review.safeParse({ documentId: "d1", decision: "return", comment: tooLong }).success).toBe(false);
    expect(review.safeParse({ documentId: "d1", decision: "reject", comment: "no" }).success).toBe(false);
  });

  it("takes only a sniffed type, a size within the limit and a name on one line without a folder", () => {
    const args = { documentId: "d1", taskId: "t1", resubmit: false, version };
    expect(submit.safeParse(args).success).toBe(true);
    const withVersion = (change: object) => ({ ...args, version: { ...version, ...change } });
    expect(submit.safeParse(withVersion({ type: "application/x-msdownload" })).success).toBe(false);
    expect(submit.safeParse(withVersion({ size: DEAL_DOCUMENT_MAX_BYTES + 1 })).success).toBe(false);
    expect(submit.safeParse(withVersion({ name: "../../etc/passwd" })).success).toBe(false);
    expect(submit.safeParse(withVersion({ name: "a\r\nSet-Cookie: x.pdf" })).success).toBe(false);
    expect(submit.safeParse(withVersion({ sha256: "xyz" })).success).toBe(false);
    expect(submit.safeParse({ ...args, taskId: "t 1" }).success).toBe(false);
  });
});
