/** Who may add photos to a room, per kind. */
import { type Capability, can, type RoomKind } from "./roles";

const PHOTO_CAPABILITIES: Record<RoomKind, readonly Capability[]> = {
  /** Whoever keeps records or completes tasks (even only their own). */
  property: ["records.write", "tasks.complete", "tasks.complete_own"],
  /** Whoever handles alerts, for a corrective action. */
  site: ["alerts.handle"],
  deal: [],
};

export function mayAddPhotos(kind: RoomKind, role: string): boolean {
  return PHOTO_CAPABILITIES[kind].some((capability) => can(kind, role, capability));
}
