/**
 * A deal's documents over HTTP: the upload against a task, and the download of any version. Both go
 * through the Worker, never a public R2 URL, and both end in a command the room runs (its audit row,
 * its checks of who may see what), as photos do (worker/routes/photos.ts).
 *
 * A document's type is what its first bytes are, never the type the request declares: a PDF, a JPEG or
 * a PNG, or nothing is stored.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import {
  DEAL_DOCUMENT_MAX_BYTES,
  DEAL_DOCUMENT_MAX_VERSIONS,
  DEAL_DOCUMENT_NAME_MAX_CHARS,
  DEAL_DOCUMENT_UPLOAD_WINDOW_MS,
  DEAL_DOCUMENT_UPLOADS_PER_USER_MAX,
} from "../../config";
import type { VerifiedMember } from "../../rooms/core/identity";
import { documentObjectPrefix } from "../../rooms/deal/documents";
import { kindStub } from "../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome, commandEnvelope } from "../../schema/core/commands";
import { nameForType as nameForFileType, sniffFileType } from "../../schema/core/files";
import { can } from "../../schema/core/roles";
import {
  type DocumentDownload,
  type DocumentSubmitArgs,
  documentName,
  documentSubmitted,
} from "../../schema/deal/document-commands";
import { DOCUMENT_TYPES, type DocumentType } from "../../schema/deal/records";
import type { AppEnv } from "../app-env";
import { ApiError, errorBody, forbidden, notFound, parseWith, rateLimited } from "../errors";
import { roomCaller, roomMember, roomNotFound } from "../room-access";
import {
  forbidden as forbiddenCase,
  notFound as notFoundCase,
  rateLimited as rateLimitedCase,
  roomNotFound as roomNotFoundCase,
  validationFailed,
} from "./common";
import { defineRoute, json, pathParam, type RouteDef } from "./define";
import { attachment } from "./download";

/** The document type the bytes are, by their first bytes alone; null for anything else. */
export const sniffDocumentType = (bytes: Uint8Array): DocumentType | null => sniffFileType(bytes, DOCUMENT_TYPES);

/** The name kept for a document of `type` (schema/core/files.ts). */
export const nameForType = (name: string, type: DocumentType): string =>
  nameForFileType(name, type, DEAL_DOCUMENT_NAME_MAX_CHARS);

async function sha256Hex(data: BufferSource | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const documentBodyLimit = bodyLimit({
  maxSize: DEAL_DOCUMENT_MAX_BYTES,
  onError: (c) =>
    c.json(
      errorBody("payload_too_large", `Documents may be at most ${DEAL_DOCUMENT_MAX_BYTES / 1024 / 1024} MiB.`),
      413,
    ),
});

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");
const uploadQuery = z.strictObject({
  name: documentName.describe("The file's name, as it is offered on download."),
  documentId: id.optional().describe("A document of this task to send a new version of; omitted, a new document."),
  key: commandEnvelope.shape.key
    .optional()
    .describe("Chosen once per upload and sent again on each retry: an upload whose key ran is not stored twice."),
});

function failure(outcome: Extract<CommandOutcome, { ok: false }>): ApiError {
  const { code, message, details } = outcome.error;
  return new ApiError(COMMAND_ERROR_STATUS[code], code, message, details);
}

async function dealMember(c: Context<AppEnv>) {
  const { user, room } = await roomCaller(c);
  // A room of another kind answers as if there were no such room.
  if (room.kind !== "deal") throw roomNotFound();
  const member: VerifiedMember = roomMember(c, user, room);
  return { user, room, member, stub: kindStub(c.env, "deal", room.id) };
}

const uploadDocumentRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/tasks/{taskId}/documents",
  summary: "Upload a document to a deal's task",
  description:
    `The body is the file itself, at most ${DEAL_DOCUMENT_MAX_BYTES} bytes: a PDF, JPEG or PNG by its first ` +
    "bytes (the Content-Type sent is not used). It is submitted for review; with `documentId`, as that " +
    "document's next version, every earlier version kept.",
  tag: "Deals",
  auth: "session",
  query: uploadQuery,
  body: { media: DOCUMENT_TYPES },
  ok: {
    201: json(
      "The document and the version this upload became; for a retry whose `key` ran already, the first answer " +
        "(nothing is stored twice).",
      documentSubmitted,
    ),
  },
  errors: [
    roomNotFoundCase,
    forbiddenCase(
      "The caller's role may not upload documents, or only to their own tasks (`documents.upload_own`) and this " +
        "task is not theirs.",
    ),
    notFoundCase("No such task or document, or one the caller may not see (the same answer)."),
    validationFailed("`name`, `documentId` or `key` is missing or malformed."),
    [409, "key_reused", "The key was used for another upload."],
    [413, "payload_too_large", `The file is over ${DEAL_DOCUMENT_MAX_BYTES} bytes.`],
    [413, "quota_exceeded", "The deal holds as many documents, or the document as many versions, as it may."],
    [415, "unsupported_media_type", "The bytes are not a PDF, a JPEG or a PNG."],
    rateLimitedCase,
  ],
  middleware: [documentBodyLimit],
  handler: uploadDocument,
});
async function uploadDocument(c: Context<AppEnv>): Promise<Response> {
  const { user, room, member, stub } = await dealMember(c);
  // Checked before anything is stored; which tasks `documents.upload_own` covers, the room checks.
  if (!can("deal", room.role, "documents.upload") && !can("deal", room.role, "documents.upload_own"))
    throw forbidden("Your role in this deal does not allow uploading documents.");
  const query = parseWith(uploadQuery, c.req.query());
  const taskId = pathParam(c, "taskId");
  if (!id.safeParse(taskId).success) throw notFound("No such task.");
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`user:${user.id}`));
  const allowed = await limiter.take(
    `documents:${room.id}`,
    DEAL_DOCUMENT_UPLOADS_PER_USER_MAX,
    DEAL_DOCUMENT_UPLOAD_WINDOW_MS,
  );
  if (!allowed.allowed)
    throw rateLimited(
      `At most ${DEAL_DOCUMENT_UPLOADS_PER_USER_MAX} documents per person every ` +
        `${DEAL_DOCUMENT_UPLOAD_WINDOW_MS / 60_000} minutes.`,
      allowed.retryAfterSeconds,
    );
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > DEAL_DOCUMENT_MAX_BYTES)
    throw new ApiError(413, "payload_too_large", `Documents may be at most ${DEAL_DOCUMENT_MAX_BYTES} bytes.`);
  const type = sniffDocumentType(bytes);
  if (!type) throw new ApiError(415, "unsupported_media_type", "Send a PDF, a JPEG or a PNG file.");
  const sha256 = await sha256Hex(bytes);
  // With a key, a retry lands on the same ids and the same object; the room answers it from its log.
  const uploadId = query.key ? (await sha256Hex(`${user.id}\n${query.key}`)).slice(0, 32) : crypto.randomUUID();
  const r2Key = `${documentObjectPrefix(room.id)}${uploadId}-${sha256}`;
  const args: DocumentSubmitArgs = {
    documentId: query.documentId ?? uploadId,
    taskId,
    resubmit: query.documentId !== undefined,
    version: { r2Key, name: nameForType(query.name, type), type, size: bytes.byteLength, sha256 },
  };
  await c.env.BLOBS.put(r2Key, bytes, { httpMetadata: { contentType: type }, sha256 });
  // RPC typing cannot carry `unknown` results across; the room returns a CommandOutcome.
  const { outcome, stored } = (await stub.submitDocument(member, args, `deal.document.submit:${uploadId}`)) as {
    outcome: CommandOutcome;
    stored: boolean;
  };
  if (!outcome.ok) {
    // Only an object no version holds: a reused key may name an upload that did go through.
    if (!stored) await c.env.BLOBS.delete(r2Key);
    throw failure(outcome);
  }
  return c.json(documentSubmitted.parse(outcome.result), 201);
}

const downloadDocumentRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/documents/{documentId}/versions/{version}",
  summary: "Download a version of a deal's document",
  description:
    "The file as uploaded, as an attachment. Every download is recorded in the deal's audit log before a byte " +
    "is sent.",
  tag: "Deals",
  auth: "session",
  ok: { 200: { description: "The file.", media: DOCUMENT_TYPES, format: "binary" } },
  errors: [
    roomNotFoundCase,
    notFoundCase("No such document or version, or one the caller may not see (the same answer)."),
  ],
  handler: downloadDocument,
});
async function downloadDocument(c: Context<AppEnv>): Promise<Response> {
  const { member, stub } = await dealMember(c);
  const documentId = pathParam(c, "documentId");
  const version = Number(pathParam(c, "version"));
  if (!id.safeParse(documentId).success || !Number.isSafeInteger(version)) throw notFound("No such document.");
  if (version < 1 || version > DEAL_DOCUMENT_MAX_VERSIONS) throw notFound("No such version of this document.");
  const outcome = (await stub.downloadDocument(member, documentId, version)) as unknown as CommandOutcome;
  if (!outcome.ok) throw failure(outcome);
  const found = outcome.result as DocumentDownload;
  const object = await c.env.BLOBS.get(found.r2Key);
  if (!object) throw notFound("This version's file is missing.");
  return attachment(object, found);
}

export const dealDocumentRoutes: readonly RouteDef[] = [uploadDocumentRoute, downloadDocumentRoute];
