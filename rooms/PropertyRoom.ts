import type { RoomKind } from "../schema/roles";
import { HavenRoom } from "./HavenRoom";

/** A property room. Its domain features build on the shared base. */
export class PropertyRoom extends HavenRoom {
  readonly kind: RoomKind = "property";
}
