import type { RoomKind } from "../../schema/core/roles";
import { HavenRoom } from "../core/HavenRoom";
import migrations from "./migrations/migrations.js";

/** A property room. Its domain features build on the shared base. */
export class PropertyRoom extends HavenRoom {
  readonly kind: RoomKind = "property";
  readonly migrations = migrations;
}
