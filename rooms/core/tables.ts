/**
 * Tables inside each room's own SQLite database. The Yjs document is stored as a
 * snapshot split into chunks plus the log of updates accepted since that snapshot.
 */
import { customType, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Durable Object SQLite returns BLOBs as ArrayBuffer; the rest of Haven speaks Uint8Array. */
const bytes = customType<{ data: Uint8Array; driverData: ArrayBuffer | Uint8Array }>({
  dataType: () => "blob",
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value)),
  toDriver: (value) => value,
});

/** Every Yjs update accepted since the last snapshot, in the order it was applied. */
export const ydocUpdates = sqliteTable("ydoc_updates", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  update: bytes("update").notNull(),
});

/** The merged document state, split into rows of at most SNAPSHOT_CHUNK_BYTES. */
export const ydocSnapshot = sqliteTable(
  "ydoc_snapshot",
  {
    generation: integer("generation").notNull(),
    part: integer("part").notNull(),
    data: bytes("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.generation, t.part] })],
);

/**
 * Stored updates that failed to apply when the room loaded, and pending remainders the
 * room could not integrate: kept (never deleted) for admins to inspect, out of the load
 * path. A large one is split into parts like a snapshot.
 */
export const ydocQuarantine = sqliteTable(
  "ydoc_quarantine",
  {
    id: integer("id").notNull(),
    part: integer("part").notNull(),
    data: bytes("data").notNull(),
    /** `log_row` (an update-log row that failed to apply) or `pending` (a remainder that could not be integrated). */
    source: text("source", { enum: ["log_row", "pending"] }).notNull(),
    reason: text("reason").notNull(),
    quarantinedAt: integer("quarantined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.part] })],
);
