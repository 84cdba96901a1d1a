/**
 * A small, valid one-page PDF written by hand (Haven has no PDF library): the demo deal's inspection
 * report. The same text always gives the same bytes, so an upload under a key can be retried.
 */

/** A PDF string literal: backslashes and parentheses escaped, anything outside printable ASCII dropped. */
function pdfString(text: string): string {
  return `(${text.replace(/[^\x20-\x7e]/g, "").replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** A US Letter page of Helvetica lines, the first one larger, as a PDF 1.4 file. */
export function textPdf(lines: readonly string[]): Uint8Array<ArrayBuffer> {
  const [heading = "", ...body] = lines;
  const content = [
    "BT",
    "/F1 18 Tf",
    "72 720 Td",
    `${pdfString(heading)} Tj`,
    "/F1 11 Tf",
    "0 -30 Td",
    "16 TL",
    ...body.map((line) => `${pdfString(line)} '`),
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  // Every byte is ASCII, so string lengths are byte offsets.
  let file = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(file.length);
    file += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = file.length;
  file += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) file += `${String(offset).padStart(10, "0")} 00000 n \n`;
  file += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(file);
}
