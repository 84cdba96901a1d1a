/**
 * Photos of a home (an asset's, or proof a task was done) or of a site's corrective action, stored in R2 under the room.
 * The room records each photo it owns, so a command can only attach a photo of its own
 * home. The body is the image itself; its first bytes must say it is the image type the
 * request claims, so nothing else can be stored and served back as an image.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_PHOTO_BYTES } from "../../../config";
import { propertyStub, siteStub } from "../../../rooms/stubs";
import { mayAddPhotos } from "../../../schema/core/photos";
import type { AppEnv } from "../../app-env";
import { ApiError, errorBody, notFound } from "../../errors";
import { roomCaller } from "../../room-access";

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
type PhotoType = (typeof PHOTO_TYPES)[number];

/** Whether the bytes begin as an image of `type` does. */
export function looksLike(type: PhotoType, bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (offset: number, text: string) => [...text].every((ch, i) => bytes[offset + i] === ch.charCodeAt(0));
  switch (type) {
    case "image/jpeg":
      return starts(0xff, 0xd8, 0xff);
    case "image/png":
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case "image/webp":
      return ascii(0, "RIFF") && ascii(8, "WEBP");
  }
}

const photoKey = (roomId: string, photoId: string) => `rooms/${roomId}/photos/${photoId}`;

export const photoRoutes = new Hono<AppEnv>()
  .post(
    "/rooms/:roomId/photos",
    bodyLimit({
      maxSize: MAX_PHOTO_BYTES,
      onError: (c) =>
        c.json(errorBody("payload_too_large", `Photos may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`), 413),
    }),
    async (c) => {
      const { user, room } = await roomCaller(c);
      if (room.kind !== "property" && room.kind !== "site") throw notFound("Only homes and sites take photos.");
      // A home: whoever may complete a task (even only their own) may attach a photo to it. A site: whoever handles alerts,
      // for a corrective action. Checked before anything is stored.
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
      if (bytes.byteLength === 0 || !looksLike(type as PhotoType, bytes)) {
        throw new ApiError(400, "validation_failed", `The body is not a ${type} image.`);
      }
      const photoId = crypto.randomUUID();
      await c.env.BLOBS.put(photoKey(room.id, photoId), bytes, { httpMetadata: { contentType: type } });
      const photo = {
        id: photoId,
        contentType: type as PhotoType,
        bytes: bytes.byteLength,
        uploadedBy: user.id,
        role: room.role,
      };
      const stored =
        room.kind === "site"
          ? await siteStub(c.env, room.id).registerPhoto(photo)
          : await propertyStub(c.env, room.id).registerPhoto(photo);
      if (!stored) {
        await c.env.BLOBS.delete(photoKey(room.id, photoId));
        throw new ApiError(403, "forbidden", "Your role in this room does not allow adding photos.");
      }
      return c.json({ photoId }, 201);
    },
  )
  .get("/rooms/:roomId/photos/:photoId", async (c) => {
    const { room } = await roomCaller(c, "room.read");
    const object = await c.env.BLOBS.get(photoKey(room.id, c.req.param("photoId")));
    if (!object) throw notFound("No such photo.");
    return new Response(object.body, {
      headers: {
        "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
        "Cache-Control": "private, max-age=86400, immutable",
        "Content-Security-Policy": "default-src 'none'",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
