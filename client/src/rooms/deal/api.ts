/**
 * A deal's HTTP calls beyond commands: uploading a task's document and where a version downloads from, the
 * templates a deal can start from, and saving a deal's structure as a template.
 */
import type { TemplateListItem } from "../../../../schema/deal/api";
import { ApiError } from "../../api";

const seg = encodeURIComponent;
const NETWORK = "Can't reach Haven. Check your connection and try again.";

/** The server's typed error, or a plain one naming the status. */
async function failure(response: Response): Promise<ApiError> {
  const data: unknown = await response.json().catch(() => null);
  const error = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.message === "string") {
    return new ApiError(response.status, String(error.code ?? "http_error"), error.message, error.details);
  }
  return new ApiError(
    response.status,
    "http_error",
    `Something went wrong (HTTP ${response.status}). Please try again.`,
  );
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...init });
  } catch {
    throw new ApiError(0, "network", NETWORK);
  }
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** The built-in templates, then the caller's saved ones and those the room's owners saved. */
export async function listTemplates(roomId: string): Promise<TemplateListItem[]> {
  const answer = await send<{ templates: TemplateListItem[] }>(`/api/deal-templates?roomId=${seg(roomId)}`, {
    headers: { accept: "application/json" },
  });
  return answer.templates;
}

/** Saves the deal's milestones and tasks as a new template of the caller's. */
export async function saveTemplate(roomId: string, name: string): Promise<TemplateListItem> {
  const answer = await send<{ template: TemplateListItem }>(`/api/rooms/${seg(roomId)}/deal/templates`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  return answer.template;
}

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
  await send(`/api/rooms/${seg(roomId)}/tasks/${seg(taskId)}/documents?${query}`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": file.type || "application/octet-stream" },
    body: file,
  });
}

/** Where one version of a document downloads from (through the Worker, which checks the role and logs it). */
export function documentVersionUrl(roomId: string, documentId: string, version: number): string {
  return `/api/rooms/${seg(roomId)}/documents/${seg(documentId)}/versions/${version}`;
}
