/**
 * A deal's audit log: one row per command, hash-chained (rooms/core/hash-chain.ts), written in the command's own
 * transaction. Append-only: nothing in Haven updates or deletes a row of `deal_audit`; a row changed from outside
 * is found by verifying the chain (rooms/deal/audit.ts).
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The chain's entries. A row's hashed content is every column but `seq`, `prev_hash` and `hash` (which are the
 * chain's own fields) in the JSON form `auditContent` builds: an export carries it, so it can be checked alone.
 */
export const dealAudit = sqliteTable("deal_audit", {
  seq: integer("seq").primaryKey(),
  /** The activity feed's id of the entry. */
  id: text("id").notNull().unique(),
  at: integer("at").notNull(),
  actor: text("actor").notNull(),
  actorName: text("actor_name").notNull(),
  role: text("role").notNull(),
  command: text("command").notNull(),
  /** The record the command was about, e.g. `task:<id>`. */
  subject: text("subject").notNull(),
  /** What it was about, in words, for the activity feed ("Home inspection"). */
  summary: text("summary").notNull(),
  /** The changed fields, as JSON: `[{ subject, field, before, after }]`. */
  changes: text("changes").notNull(),
  /** The client's address as the Worker saw it, or null. */
  ip: text("ip"),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
});

/**
 * The chain's head, one row, moved in the same transaction as each append. Kept apart from the entries so that
 * rows removed from the end are found too (the entries alone would be a valid shorter chain), and the next entry
 * still follows the true last one.
 */
export const dealAuditHead = sqliteTable("deal_audit_head", {
  /** Always 1: the table holds one row. */
  id: integer("id").primaryKey(),
  seq: integer("seq").notNull(),
  hash: text("hash").notNull(),
});
