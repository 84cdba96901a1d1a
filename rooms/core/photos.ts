/**
 * Photos a room stored in R2 (a home's assets and completions, a site's corrective
 * actions): the room lists what it owns, so a command can attach only a photo of its own.
 * The table is in the core track of migrations (every kind has it); who may add photos is
 * `mayAddPhotos`, per kind.
 *
 * Registering an upload is a command (`photo.register`), run by the room's command runner
 * for the Worker's upload route only, so it gets an audit row and a key like any change,
 * and the room's photo quota is checked in its transaction. A photo still attached to
 * nothing PHOTO_UNATTACHED_TTL_MS after its upload is deleted by the room's schedule,
 * its R2 object with it.
 */
import { count, eq, sum } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { MAX_PHOTO_BYTES, MAX_PHOTO_BYTES_PER_ROOM, MAX_PHOTOS_PER_ROOM, PHOTO_UNATTACHED_TTL_MS } from "../../config";
import { PHOTO_TYPES, photoCapabilities } from "../../schema/core/photos";
import type { RoomKind } from "../../schema/core/roles";
import { CommandError, type CommandTable, command, type RoomEffects } from "./commands";

export const photos = sqliteTable("photos", {
  id: text("id").primaryKey(),
  contentType: text("content_type").notNull(),
  bytes: integer("bytes").notNull(),
  uploadedBy: text("uploaded_by").notNull(),
  at: integer("at").notNull(),
});

/** The schedule job that deletes a photo nobody attached; its id names the photo. */
export const PHOTO_EXPIRY_JOB = "photo.expire";
const expiryJobId = (photoId: string) => `${PHOTO_EXPIRY_JOB}:${photoId}`;

/** Plans the deletion of a photo unless something attaches it before then (checked when the job runs). */
export function schedulePhotoExpiry(effects: RoomEffects, photoId: string): void {
  effects.schedule({
    id: expiryJobId(photoId),
    kind: PHOTO_EXPIRY_JOB,
    dueAt: effects.now + PHOTO_UNATTACHED_TTL_MS,
    payload: { photoId },
  });
}

/** The photo an expiry job is about. */
export function expiringPhoto(jobId: string): string {
  return jobId.slice(PHOTO_EXPIRY_JOB.length + 1);
}

/** Forgets a photo in the room's table; the caller deletes its R2 object once this commits. */
export function forgetPhoto(db: DrizzleSqliteDODatabase, photoId: string): void {
  db.delete(photos).where(eq(photos.id, photoId)).run();
}

/** What the Worker's upload route registers: the object it stored in R2. */
export const newPhoto = z
  .object({
    id: z.uuid(),
    contentType: z.enum(PHOTO_TYPES),
    bytes: z.number().int().positive().max(MAX_PHOTO_BYTES),
  })
  .strict();
export type NewPhoto = z.infer<typeof newPhoto>;

/** The command table behind `registerPhoto`: kept apart from the kinds' own, so no client can name it. */
export function photoCommands(kind: RoomKind): CommandTable {
  return {
    "photo.register": command({
      args: newPhoto,
      anyOf: photoCapabilities(kind),
      subject: (a) => `photo:${a.id}`,
      run(ctx, photo) {
        const held = ctx.db
          .select({ n: count(), bytes: sum(photos.bytes) })
          .from(photos)
          .get();
        const heldBytes = Number(held?.bytes ?? 0);
        if ((held?.n ?? 0) >= MAX_PHOTOS_PER_ROOM || heldBytes + photo.bytes > MAX_PHOTO_BYTES_PER_ROOM)
          throw new CommandError("quota_exceeded", "This room holds as many photos as it may; remove some first.", {
            photos: held?.n ?? 0,
            maxPhotos: MAX_PHOTOS_PER_ROOM,
            bytes: heldBytes,
            maxBytes: MAX_PHOTO_BYTES_PER_ROOM,
          });
        ctx.db
          .insert(photos)
          .values({ ...photo, uploadedBy: ctx.actor.userId, at: ctx.now })
          .run();
        schedulePhotoExpiry(ctx, photo.id);
        return { photoId: photo.id };
      },
    }),
  };
}

/** Whether this room stored the photo. */
export function hasPhoto(db: DrizzleSqliteDODatabase, id: string): boolean {
  return db.select({ id: photos.id }).from(photos).where(eq(photos.id, id)).get() !== undefined;
}
