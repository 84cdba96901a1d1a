/** A stored file (a deal's document, a home's manual) sent to the member who asked for it. */
import { attachmentHeader } from "../../schema/core/files";

/**
 * The file as an attachment with its own name: every download reaches the Worker to be checked (no shared or stored
 * copy), and the browser never runs it as a page of the app's origin.
 */
export function attachment(object: R2ObjectBody, file: { type: string; name: string }): Response {
  return new Response(object.body, {
    headers: {
      "Content-Type": file.type,
      "Content-Length": String(object.size),
      "Content-Disposition": attachmentHeader(file.name),
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
