/**
 * Tables inside each room's own SQLite database. The Yjs document is stored as a
 * snapshot split into chunks plus the log of updates accepted since that snapshot.
 */
import { customType, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

/**
 * Every command the room ran, by its key: a retried command finds its first answer here
 * and runs no second time. Written in the same transaction as the command's changes.
 */
export const commandLog = sqliteTable("command_log", {
  key: text("key").primaryKey(),
  actor: text("actor").notNull(),
  name: text("name").notNull(),
  /** SHA-256 of the arguments' JSON: the same key with other arguments is refused. */
  argsHash: text("args_hash").notNull(),
  /** The answer, as JSON. */
  result: text("result").notNull(),
  at: integer("at").notNull(),
});

/** Who changed what, when: one row per command, in the same transaction. Never updated. */
export const auditLog = sqliteTable("audit_log", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  at: integer("at").notNull(),
  actor: text("actor").notNull(),
  actorName: text("actor_name").notNull(),
  command: text("command").notNull(),
  /** The record the command was about, e.g. `task:<id>`. */
  subject: text("subject").notNull(),
  /** The command's arguments as JSON. */
  args: text("args").notNull(),
});

/**
 * Work the room must do later: one row per job, the room's single alarm set to the
 * earliest. `id` names the job's subject (`reminder:<taskId>`), so rescheduling replaces it.
 */
export const scheduledJobs = sqliteTable(
  "scheduled_jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    dueAt: integer("due_at").notNull(),
    payload: text("payload").notNull(),
    /** Runs of this job that threw; planning the job again starts it at 0. */
    failures: integer("failures").notNull().default(0),
  },
  (t) => [index("scheduled_jobs_due_idx").on(t.dueAt)],
);

/**
 * Messages for the queue, written in the same transaction as the change that caused
 * them and sent after it commits. A key is sent once; rows are kept after sending so a
 * re-run job cannot send the same key again.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    key: text("key").primaryKey(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [index("outbox_sent_idx").on(t.sentAt, t.createdAt)],
);

/**
 * Each audience's projected document (rooms/core/projection.ts), its whole Yjs state split into parts of at most
 * SNAPSHOT_CHUNK_BYTES. Kept so the projection's Yjs identity outlives a restart: a client holding an older state
 * of it then merges cleanly, and what the room removed stays removed on that client.
 */
export const projectionDocs = sqliteTable(
  "projection_docs",
  {
    audience: text("audience").notNull(),
    part: integer("part").notNull(),
    data: bytes("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.audience, t.part] })],
);
