import type { RoomKind } from "../../schema/core/roles";
import { HavenRoom } from "../core/HavenRoom";
import migrations from "./migrations/migrations.js";

/** A site room. Its domain features build on the shared base. */
export class SiteRoom extends HavenRoom {
  readonly kind: RoomKind = "site";
  readonly migrations = migrations;
}
