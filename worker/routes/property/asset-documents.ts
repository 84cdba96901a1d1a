/**
 * Documents on a home's asset over HTTP (a manual, a receipt, a warranty): upload, download and removal, all
 * through the Worker, never a public R2 URL; and what the asset's upkeep cost over the last twelve months.
 *
 * An upload follows the photos' order (worker/routes/photos.ts): the caller and the first bytes are checked,
 * the object is stored, then the room registers it in a command; whatever the room refuses, the object no row
 * holds is deleted again. The body is streamed to R2 with its length fixed by `Content-Length`, never held
 * whole in memory, and its type is what its first bytes are (PDF, JPEG, PNG or WebP), not what it claims.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  ASSET_DOCUMENT_MAX_BYTES,
  ASSET_DOCUMENT_NAME_MAX_CHARS,
  ASSET_DOCUMENT_UPLOAD_WINDOW_MS,
  ASSET_DOCUMENT_UPLOADS_PER_USER_MAX,
} from "../../../config";
import { kindStub } from "../../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../../schema/core/commands";
import { nameForType } from "../../../schema/core/files";
import {
  ASSET_DOCUMENT_TYPES,
  assetCostsSchema,
  assetDocumentKey,
  assetDocumentSchema,
  assetDocumentUploadQuery,
  type NewAssetDocument,
} from "../../../schema/property/documents";
import type { AppEnv } from "../../app-env";
import { ApiError, errorBody, notFound, parseWith, rateLimited } from "../../errors";
import { requireCapability, roomCaller, roomMember, roomNotFound } from "../../room-access";
import { notFound as notFoundCase, rateLimited as rateLimitedCase, roomWith, validationFailed } from "../common";
import { defineRoute, empty, json, pathParam, type RouteDef } from "../define";
import { attachment } from "../download";
import { streamToR2 } from "../upload-stream";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_MIB = ASSET_DOCUMENT_MAX_BYTES / 1024 / 1024;

/** Documents have their own body limit; worker/app.ts leaves this route out of the JSON one. */
const documentBodyLimit = bodyLimit({
  maxSize: ASSET_DOCUMENT_MAX_BYTES,
  onError: (c) => c.json(errorBody("payload_too_large", `Documents may be at most ${MAX_MIB} MB.`), 413),
});

function failure(outcome: Extract<CommandOutcome, { ok: false }>): ApiError {
  const { code, message, details } = outcome.error;
  return new ApiError(COMMAND_ERROR_STATUS[code], code, message, details);
}

/** The caller in a home (a room of another kind answers as if there were none), with `capability`. */
async function homeCaller(c: Context<AppEnv>, capability: "room.read" | "records.write") {
  const { user, room } = await roomCaller(c);
  if (room.kind !== "property") throw roomNotFound();
  requireCapability(room, capability);
  return { user, room, stub: kindStub(c.env, "property", room.id) };
}

/** A path id, or the route's 404: nothing the room never named can reach a key. */
function pathId(c: Context<AppEnv>, name: string, what: string): string {
  const value = pathParam(c, name);
  if (!ID.test(value)) throw notFound(`No such ${what}.`);
  return value;
}

const uploadRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/assets/{assetId}/documents",
  summary: "Upload a document to an asset",
  description:
    `The body is the file itself, at most ${ASSET_DOCUMENT_MAX_BYTES} bytes: a PDF, JPEG, PNG or WebP by its ` +
    "first bytes (the Content-Type sent is not used). It is listed with the asset in the room's document.",
  tag: "Homes",
  auth: "session",
  query: assetDocumentUploadQuery,
  body: { media: ASSET_DOCUMENT_TYPES },
  ok: { 201: json("The stored document, as the asset lists it.", assetDocumentSchema) },
  errors: [
    ...roomWith("records.write"),
    notFoundCase("No such asset in this home."),
    validationFailed("`kind`, `title`, `name` or `id` is missing or malformed, or the body is empty or cut short."),
    [409, "conflict", "A document with this `id` is already stored (nothing is replaced), or the asset is archived."],
    [413, "payload_too_large", `The file is over ${ASSET_DOCUMENT_MAX_BYTES} bytes.`],
    [413, "quota_exceeded", "The asset, or the home, holds as many documents as it may."],
    [415, "unsupported_media_type", "The bytes are not a PDF, a JPEG, a PNG or a WebP image."],
    rateLimitedCase,
  ],
  middleware: [documentBodyLimit],
  handler: uploadAssetDocument,
});
async function uploadAssetDocument(c: Context<AppEnv>): Promise<Response> {
  // Who, where and what are checked before a byte of the body is read.
  const { user, room, stub } = await homeCaller(c, "records.write");
  const assetId = pathId(c, "assetId", "asset");
  const query = parseWith(assetDocumentUploadQuery, c.req.query());
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`user:${user.id}`));
  const allowed = await limiter.take(
    `asset-documents:${room.id}`,
    ASSET_DOCUMENT_UPLOADS_PER_USER_MAX,
    ASSET_DOCUMENT_UPLOAD_WINDOW_MS,
  );
  if (!allowed.allowed)
    throw rateLimited(
      `At most ${ASSET_DOCUMENT_UPLOADS_PER_USER_MAX} documents per person every ` +
        `${ASSET_DOCUMENT_UPLOAD_WINDOW_MS / 60_000} minutes.`,
      allowed.retryAfterSeconds,
    );
  const documentId = query.id ?? crypto.randomUUID();
  // A fresh object per upload: a repeated id can never overwrite the bytes of a document already stored.
  const r2Key = assetDocumentKey(room.id, documentId, crypto.randomUUID());
  const { type, length } = await streamToR2(c, c.env.BLOBS, r2Key, {
    maxBytes: ASSET_DOCUMENT_MAX_BYTES,
    types: ASSET_DOCUMENT_TYPES,
    what: "Documents",
    typeError: "Send a PDF, a JPEG, a PNG or a WebP file.",
  });
  const baseName = query.name.split(/[\\/]/).at(-1) || query.title;
  const document: NewAssetDocument = {
    id: documentId,
    assetId,
    kind: query.kind,
    title: query.title,
    name: nameForType(baseName, type, ASSET_DOCUMENT_NAME_MAX_CHARS),
    type,
    size: length,
    r2Key,
  };
  // RPC typing cannot carry `unknown` results across; the room returns a CommandOutcome.
  const { outcome, stored } = (await stub.addAssetDocument(roomMember(c, user, room), document)) as unknown as {
    outcome: CommandOutcome;
    stored: boolean;
  };
  if (!outcome.ok) {
    if (!stored) await c.env.BLOBS.delete(r2Key);
    throw failure(outcome);
  }
  return c.json(assetDocumentSchema.parse(outcome.result), 201);
}

const downloadRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/asset-documents/{documentId}",
  summary: "Download a document of an asset",
  description: "The file as uploaded, as an attachment, to members of the home only.",
  tag: "Homes",
  auth: "session",
  ok: { 200: { description: "The file.", media: ASSET_DOCUMENT_TYPES, format: "binary" } },
  errors: [...roomWith("room.read"), notFoundCase("No such document in this home.")],
  handler: downloadAssetDocument,
});
async function downloadAssetDocument(c: Context<AppEnv>): Promise<Response> {
  const { stub } = await homeCaller(c, "room.read");
  const found = await stub.assetDocument(pathId(c, "documentId", "document"));
  if (!found) throw notFound("No such document in this home.");
  const object = await c.env.BLOBS.get(found.r2Key);
  if (!object) throw notFound("This document's file is missing.");
  return attachment(object, found);
}

const removeRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}/asset-documents/{documentId}",
  summary: "Remove a document from an asset",
  description: "The asset stops listing it at once; its file is deleted from R2 once the room has forgotten it.",
  tag: "Homes",
  auth: "session",
  ok: { 204: empty("Removed.") },
  errors: [...roomWith("records.write"), notFoundCase("No such document in this home.")],
  handler: removeAssetDocument,
});
async function removeAssetDocument(c: Context<AppEnv>): Promise<Response> {
  const { user, room, stub } = await homeCaller(c, "records.write");
  const outcome = (await stub.removeAssetDocument(
    roomMember(c, user, room),
    pathId(c, "documentId", "document"),
  )) as unknown as CommandOutcome;
  if (!outcome.ok) throw failure(outcome);
  // The row is gone first, so nothing lists a missing file; a failed delete here leaves only an unlisted object.
  await c.env.BLOBS.delete((outcome.result as { r2Key: string }).r2Key);
  return c.body(null, 204);
}

const costsRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/assets/{assetId}/costs",
  summary: "What an asset's upkeep cost over the last 12 months",
  description: "Its tasks' completions that recorded a cost, from a year before today (in the home's zone) to today.",
  tag: "Homes",
  auth: "session",
  ok: { 200: json("The total per currency, and each completion.", assetCostsSchema) },
  errors: [...roomWith("room.read"), notFoundCase("No such asset in this home.")],
  handler: assetCosts,
});
async function assetCosts(c: Context<AppEnv>): Promise<Response> {
  const { stub } = await homeCaller(c, "room.read");
  const costs = await stub.assetCosts(pathId(c, "assetId", "asset"));
  if (!costs) throw notFound("No such asset in this home.");
  return c.json(assetCostsSchema.parse(costs));
}

export const assetDocumentRoutes: readonly RouteDef[] = [uploadRoute, downloadRoute, removeRoute, costsRoute];
