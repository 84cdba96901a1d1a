/** Who may add photos to a room: each kind's manifest says which capabilities may. */
import { kindOf } from "./kinds";
import { type Capability, can, type RoomKind } from "./roles";

/** The image types a photo may be, checked against its first bytes on upload. */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Where a room's photo lives in R2. */
export const photoKey = (roomId: string, photoId: string) => `rooms/${roomId}/photos/${photoId}`;

/** The capabilities that may add photos to a room of `kind`: any one of them will do. */
export function photoCapabilities(kind: RoomKind): readonly Capability[] {
  return kindOf(kind).photoCapabilities;
}

/** Whether rooms of `kind` take photos at all. */
export function takesPhotos(kind: RoomKind): boolean {
  return photoCapabilities(kind).length > 0;
}

export function mayAddPhotos(kind: RoomKind, role: string): boolean {
  return photoCapabilities(kind).some((capability) => can(kind, role, capability));
}
