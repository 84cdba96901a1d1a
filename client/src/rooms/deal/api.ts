/** A deal's HTTP calls beyond commands: uploading a task's document, and where a version downloads from. */
import { ApiError } from "../../api";

const seg = encodeURIComponent;

/**
 * Sends one file (PDF, JPEG or PNG; the Worker sniffs the type from the bytes and enforces the size limit) as a
 * new document of a task, or, with `documentId`, as that document's next version. The room mirrors the result.
 * `key` is chosen once per upload, so a retry is not stored twice.
 */
export async function uploadDocument(
  roomId: string,
  taskId: string,
  file: File,
  documentId: string | null,
  key: string,
): Promise<void> {
  const query = new URLSearchParams({ name: file.name, key });
  if (documentId !== null) query.set("documentId", documentId);
  let response: Response;
  try {
    response = await fetch(`/api/rooms/${seg(roomId)}/tasks/${seg(taskId)}/documents?${query}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": file.type || "application/octet-stream" },
      body: file,
    });
  } catch {
    throw new ApiError(0, "network", "Can't reach Haven. Check your connection and try again.");
  }
  if (response.ok) return;
  const data: unknown = await response.json().catch(() => null);
  const error = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.message === "string") {
    throw new ApiError(response.status, String(error.code ?? "http_error"), error.message, error.details);
  }
  throw new ApiError(response.status, "http_error", `The upload failed (HTTP ${response.status}). Please try again.`);
}

/** Where one version of a document downloads from (through the Worker, which checks the role and logs it). */
export function documentVersionUrl(roomId: string, documentId: string, version: number): string {
  return `/api/rooms/${seg(roomId)}/documents/${seg(documentId)}/versions/${version}`;
}
