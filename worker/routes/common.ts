/**
 * What route definitions share: the description of every path parameter, and the error
 * cases many routes have in common, so each definition lists only what is its own.
 */
import { z } from "zod";
import { MAX_JSON_BODY_BYTES } from "../../config";
import type { ErrorCode } from "../../schema/core/errors";
import { ROOM_KINDS } from "../../schema/core/roles";

/** One documented error: its status, its `error.code` and when it happens. */
export type ErrorCase = readonly [status: number, code: ErrorCode, when: string];

/** What each path parameter is; every `{name}` in a path must be listed here. */
export const PATH_PARAMS: Record<string, { schema: z.ZodType; description: string }> = {
  roomId: { schema: z.string(), description: "The room's id." },
  kind: { schema: z.enum(ROOM_KINDS), description: "The room's kind; it must be the room's own." },
  inviteId: {
    schema: z.string().regex(/^[0-9a-f]{64}$/),
    description: "A pending invite's id (the SHA-256 of its token).",
  },
  token: { schema: z.string(), description: "The token from an invite's link." },
  userId: { schema: z.string(), description: "The member's user id." },
  taskId: { schema: z.string(), description: "The task's id." },
  id: { schema: z.string(), description: "The dead letter's id." },
  file: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{20,64}\.ics$/),
    description: "`<secret>.ics`, from the feed's URL.",
  },
  photoId: { schema: z.string(), description: "The photo's id." },
  documentId: { schema: z.string(), description: "The document's id (a deal's, or one on a home's asset)." },
  assetId: { schema: z.string(), description: "The asset's id." },
  version: { schema: z.string().regex(/^[1-9][0-9]*$/), description: "The version's number, from 1." },
  keyId: { schema: z.string(), description: "The ingest key's id (never its secret)." },
  unitId: { schema: z.string(), description: "The unit's id." },
  captureId: { schema: z.uuid(), description: "The capture's id, a UUID the app makes before uploading its files." },
  part: {
    schema: z.enum(["original", "wav", "photo", "spectrogram", "thumbnail"]),
    description:
      "Which file of the capture (`spectrogram` and `thumbnail` are rendered by the analysis, never uploaded).",
  },
};

export const roomNotFound: ErrorCase = [
  404,
  "room_not_found",
  "No such room, or the caller is not a member (the same answer for both).",
];
export const forbidden = (when = "The caller's role lacks the capability."): ErrorCase => [403, "forbidden", when];
export const notFound = (when: string): ErrorCase => [404, "not_found", when];
export const rateLimited: ErrorCase = [
  429,
  "rate_limited",
  "Too many attempts; `Retry-After` and `details.retryAfterSeconds` say how many seconds to wait.",
];
export const validationFailed = (when: string): ErrorCase => [400, "validation_failed", when];
/** The errors of every route under `/api/rooms/{roomId}` that needs a capability. */
export const roomWith = (capability: string): ErrorCase[] => [
  roomNotFound,
  forbidden(`The caller's role lacks \`${capability}\`.`),
];

/** What sharedErrors reads of a route definition. */
interface RouteTraits {
  method: string;
  auth: "session" | "none";
  upgrade?: boolean;
  body?: { json: unknown } | { media: unknown };
}

/** The cases a route has by its body, auth and method; defineRoute adds them to every definition. */
export function sharedErrors(route: RouteTraits): ErrorCase[] {
  const cases: ErrorCase[] = [];
  if (route.body && "json" in route.body) {
    cases.push(
      [400, "invalid_json", "The body is not JSON."],
      validationFailed("A field is missing, of the wrong type or out of range; `details.fields` names each."),
      [413, "payload_too_large", `The body is over ${MAX_JSON_BODY_BYTES} bytes.`],
      [415, "unsupported_media_type", "The body was not sent with `Content-Type: application/json`."],
    );
  }
  if (route.auth === "session") cases.push([401, "unauthorized", "No valid session."]);
  if (route.method !== "get" || route.upgrade)
    cases.push([403, "foreign_origin", "The request comes from another site."]);
  if (route.upgrade)
    cases.push([426, "upgrade_required", "A plain HTTP request: this endpoint speaks WebSocket only."]);
  cases.push([500, "internal", "Our fault; nothing internal is ever sent."]);
  return cases;
}
