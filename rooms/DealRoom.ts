import type { RoomKind } from "../schema/roles";
import { HavenRoom } from "./HavenRoom";

/** A deal room. Its domain features build on the shared base. */
export class DealRoom extends HavenRoom {
  readonly kind: RoomKind = "deal";
}
