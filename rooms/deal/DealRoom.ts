import type { RoomKind } from "../../schema/core/roles";
import { HavenRoom } from "../core/HavenRoom";
import migrations from "./migrations/migrations.js";

/** A deal room. Its domain features build on the shared base. */
export class DealRoom extends HavenRoom {
  readonly kind: RoomKind = "deal";
  readonly migrations = migrations;
}
