import type { RoomKind } from "../../schema/core/roles";
import { HavenRoom } from "../core/HavenRoom";
import legacyMigrations from "./legacy-migrations/migrations.js";
import migrations from "./migrations/migrations.js";

/** A deal room. Its domain features build on the shared base. */
export class DealRoom extends HavenRoom {
  readonly kind: RoomKind = "deal";
  readonly migrations = { track: migrations, legacy: { migrations: legacyMigrations, equals: { core: 1, kind: 0 } } };
}
