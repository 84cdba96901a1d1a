/** Who may add photos to a room, per kind. */
import { type Capability, can, type RoomKind } from "./roles";

const PHOTO_CAPABILITIES: Record<RoomKind, readonly Capability[]> = {
  /** Whoever keeps records or completes tasks (even only their own). */
  property: ["records.write", "tasks.complete", "tasks.complete_own"],
  /** Whoever handles alerts, for a corrective action. */
  site: ["alerts.handle"],
  deal: [],
};

/** The image types a photo may be, checked against its first bytes on upload. */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Where a room's photo lives in R2. */
export const photoKey = (roomId: string, photoId: string) => `rooms/${roomId}/photos/${photoId}`;

/** The capabilities that may add photos to a room of `kind`: any one of them will do. */
export function photoCapabilities(kind: RoomKind): readonly Capability[] {
  return PHOTO_CAPABILITIES[kind];
}

export function mayAddPhotos(kind: RoomKind, role: string): boolean {
  return PHOTO_CAPABILITIES[kind].some((capability) => can(kind, role, capability));
}
