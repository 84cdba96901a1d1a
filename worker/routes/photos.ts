/**
 * Photos of a room (a home's asset, proof a task was done, a site's corrective action),
 * stored in R2 under the room, for every kind whose manifest names who may add them. The
 * room records each photo it owns, so a command can only attach a photo of its own room.
 * The body is the image itself; its first bytes must say it is the image type the request
 * claims, so nothing else can be stored and served back as an image.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_PHOTO_BYTES, PHOTO_UPLOAD_WINDOW_MS, PHOTO_UPLOADS_PER_USER_MAX } from "../../config";
import { roomStub } from "../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../schema/core/commands";
import { imageMetadata } from "../../schema/core/exif";
import { sniffFileType } from "../../schema/core/files";
import { mayAddPhotos, PHOTO_TYPES, type PhotoType, photoKey, takesPhotos } from "../../schema/core/photos";
import { photoCreatedSchema } from "../../schema/property/responses";
import type { AppEnv } from "../app-env";
import { ApiError, errorBody, notFound, rateLimited } from "../errors";
import { roomCaller, roomMember } from "../room-access";
import {
  forbidden as forbiddenCase,
  notFound as notFoundCase,
  rateLimited as rateLimitedCase,
  roomNotFound,
  roomWith,
  validationFailed,
} from "./common";
import { defineRoute, json, pathParam, type RouteDef } from "./define";

/** Photos have their own, larger body limit; worker/app.ts leaves this route out of the JSON one. */
const photoBodyLimit = bodyLimit({
  maxSize: MAX_PHOTO_BYTES,
  onError: (c) =>
    c.json(errorBody("payload_too_large", `Photos may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`), 413),
});

const uploadPhotoRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/photos",
  summary: "Upload a photo",
  description:
    `The body is the image itself, at most ${MAX_PHOTO_BYTES} bytes; its first bytes must match its type, and it ` +
    "may not carry a location (EXIF or XMP GPS tags): Haven's app redraws photos without their metadata.",
  tag: "Homes",
  auth: "session",
  body: { media: PHOTO_TYPES },
  ok: { 201: json("The stored photo's id, to attach by command.", photoCreatedSchema) },
  errors: [
    roomNotFound,
    forbiddenCase("The caller's role may not add photos."),
    notFoundCase("The room is not a home."),
    validationFailed("The body is not an image of the type its Content-Type names, or it carries GPS tags."),
    [413, "payload_too_large", `The photo is over ${MAX_PHOTO_BYTES} bytes.`],
    [415, "unsupported_media_type", "Not a JPEG, PNG or WebP Content-Type."],
    rateLimitedCase,
  ],
  middleware: [photoBodyLimit],
  handler: uploadPhoto,
});
async function uploadPhoto(c: Context<AppEnv>): Promise<Response> {
  const { user, room } = await roomCaller(c);
  if (!takesPhotos(room.kind)) throw notFound("Rooms of this kind take no photos.");
  // Whoever holds one of the capabilities the kind's manifest names (schema/<kind>/manifest.ts).
  // Checked before anything is stored.
  if (!mayAddPhotos(room.kind, room.role))
    throw new ApiError(403, "forbidden", "Your role in this room does not allow adding photos.");
  const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (!PHOTO_TYPES.includes(type as PhotoType)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Send a JPEG, PNG or WebP image, with its Content-Type (${PHOTO_TYPES.join(", ")}).`,
    );
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0 || sniffFileType(bytes, [type as PhotoType]) === null) {
    throw new ApiError(400, "validation_failed", `The body is not a ${type} image.`);
  }
  // Haven's app redraws every photo without its metadata: one that still says where it was taken is refused.
  if (imageMetadata(bytes).location)
    throw new ApiError(
      400,
      "validation_failed",
      "This photo still carries where it was taken (GPS tags). Upload it through Haven's app, which removes them.",
    );
  // Counted per person and room before anything is stored, exactly, by that person's limiter.
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`user:${user.id}`));
  const allowed = await limiter.take(`photos:${room.id}`, PHOTO_UPLOADS_PER_USER_MAX, PHOTO_UPLOAD_WINDOW_MS);
  if (!allowed.allowed)
    throw rateLimited(
      `At most ${PHOTO_UPLOADS_PER_USER_MAX} photos per person every ${PHOTO_UPLOAD_WINDOW_MS / 60_000} minutes.`,
      allowed.retryAfterSeconds,
    );
  const photoId = crypto.randomUUID();
  await c.env.BLOBS.put(photoKey(room.id, photoId), bytes, { httpMetadata: { contentType: type } });
  const member = roomMember(c, user, room);
  const photo = { id: photoId, contentType: type as PhotoType, bytes: bytes.byteLength };
  // RPC typing cannot carry `unknown` results across; the room returns a CommandOutcome.
  const outcome = (await roomStub(c.env, room.kind, room.id).registerPhoto(member, photo)) as unknown as CommandOutcome;
  if (!outcome.ok) {
    await c.env.BLOBS.delete(photoKey(room.id, photoId));
    const { code, message, details } = outcome.error;
    throw new ApiError(COMMAND_ERROR_STATUS[code], code, message, details);
  }
  return c.json({ photoId }, 201);
}

const getPhotoRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/photos/{photoId}",
  summary: "A photo's bytes",
  tag: "Homes",
  auth: "session",
  ok: { 200: { description: "The image, as uploaded.", media: PHOTO_TYPES, format: "binary" } },
  errors: [...roomWith("room.read"), notFoundCase("No such photo.")],
  handler: getPhoto,
});
async function getPhoto(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "room.read");
  const object = await c.env.BLOBS.get(photoKey(room.id, pathParam(c, "photoId")));
  if (!object) throw notFound("No such photo.");
  return new Response(object.body, {
    headers: {
      "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "Cache-Control": "private, max-age=86400, immutable",
      "Content-Security-Policy": "default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export const photoRoutes: readonly RouteDef[] = [uploadPhotoRoute, getPhotoRoute];
