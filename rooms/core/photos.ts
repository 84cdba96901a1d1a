/**
 * Photos a room stored in R2 (a home's assets and completions, a site's corrective
 * actions): the room lists what it owns, so a command can attach only a photo of its own.
 * The table is in the core track of migrations (every kind has it); who may add photos is
 * `mayAddPhotos`, per kind.
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { mayAddPhotos } from "../../schema/core/photos";
import type { RoomKind } from "../../schema/core/roles";

export const photos = sqliteTable("photos", {
  id: text("id").primaryKey(),
  contentType: text("content_type").notNull(),
  bytes: integer("bytes").notNull(),
  uploadedBy: text("uploaded_by").notNull(),
  at: integer("at").notNull(),
});

export interface NewPhoto {
  id: string;
  contentType: string;
  bytes: number;
  uploadedBy: string;
  /** The uploader's role, checked again here: the room, not the Worker, has the last word. */
  role: string;
}

/** Records a photo the Worker stored in R2, if the uploader's role may add photos; false refuses it (the Worker then deletes it). */
export function recordPhoto(db: DrizzleSqliteDODatabase, kind: RoomKind, photo: NewPhoto, now: number): boolean {
  if (!mayAddPhotos(kind, photo.role)) return false;
  db.insert(photos)
    .values({ id: photo.id, contentType: photo.contentType, bytes: photo.bytes, uploadedBy: photo.uploadedBy, at: now })
    .run();
  return true;
}

/** Whether this room stored the photo. */
export function hasPhoto(db: DrizzleSqliteDODatabase, id: string): boolean {
  return db.select({ id: photos.id }).from(photos).where(eq(photos.id, id)).get() !== undefined;
}
