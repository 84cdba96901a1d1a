import type { RoomKind } from "../schema/roles";
import { HavenRoom } from "./HavenRoom";

/** A site room. Its domain features build on the shared base. */
export class SiteRoom extends HavenRoom {
  readonly kind: RoomKind = "site";
}
