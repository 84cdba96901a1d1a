import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";

/** The shape of a drizzle-kit generated `migrations.js`, which each room kind passes to the base. */
export interface RoomMigrations {
  journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
  migrations: Record<string, string>;
}

/** Thrown at room start when what a room has applied is not the start of the journal the code carries. */
export class MigrationHistoryError extends Error {
  override readonly name = "MigrationHistoryError";
}

/** Drizzle's own bookkeeping table: one row per applied migration, `created_at` the journal entry's `when`. */
const APPLIED_TABLE = "__drizzle_migrations";

/**
 * Checks that the migrations a room has applied (their journal times, oldest first) are exactly the first entries
 * of the journal, in order. Drizzle's migrator compares only the newest applied time, so without this a migration
 * merged in with an older time than one already applied would be skipped forever, and a room that ran a migration
 * the code no longer carries would go on as if nothing were wrong. Either is a room whose tables are not what the
 * code believes: better to refuse to start it, loudly, than to corrupt it.
 */
export function checkMigrationHistory(applied: readonly number[], journal: RoomMigrations["journal"]): void {
  const entries = journal.entries;
  if (applied.length > entries.length) {
    throw new MigrationHistoryError(
      `This room has applied ${applied.length} migrations but the code knows ${entries.length}: ` +
        "it was migrated by a newer or different Haven.",
    );
  }
  applied.forEach((when, i) => {
    const entry = entries[i];
    if (entry?.when !== when) {
      throw new MigrationHistoryError(
        `Migration history diverges at #${i}: the room applied one dated ${when}, ` +
          `the journal has ${entry?.tag ?? "nothing"} dated ${entry?.when ?? "-"}.`,
      );
    }
  });
  for (let i = 1; i < entries.length; i++) {
    const [before, after] = [entries[i - 1], entries[i]];
    if (before && after && after.when <= before.when) {
      throw new MigrationHistoryError(`The journal is out of order: ${after.tag} is not newer than ${before.tag}.`);
    }
  }
}

/**
 * Applies a room kind's pending migrations after checking its applied history against the journal
 * (`checkMigrationHistory`); throws MigrationHistoryError when they diverge, applying nothing.
 */
export async function migrateRoom(
  db: DrizzleSqliteDODatabase,
  sql: SqlStorage,
  migrations: RoomMigrations,
): Promise<void> {
  const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", APPLIED_TABLE).toArray();
  const applied =
    exists.length === 0
      ? []
      : sql
          .exec<{ created_at: number }>(`SELECT created_at FROM ${APPLIED_TABLE} ORDER BY created_at, id`)
          .toArray()
          .map((row) => Number(row.created_at));
  checkMigrationHistory(applied, migrations.journal);
  await migrate(db, migrations);
}
