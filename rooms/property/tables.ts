/**
 * A property room's records, in its own SQLite. The document holds
 * a mirror of assets and tasks; completions are served by query.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ASSET_DOCUMENT_KINDS, ASSET_DOCUMENT_TYPES } from "../../schema/property/documents";
import { CAPTURE_KINDS, CAPTURE_STATUSES } from "../../schema/property/inbox";
import { PROOF_KINDS } from "../../schema/property/records";

export const assets = sqliteTable("assets", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  category: text("category").notNull(),
  location: text("location").notNull(),
  make: text("make").notNull(),
  model: text("model").notNull(),
  serialNumber: text("serial_number").notNull(),
  purchaseDate: text("purchase_date"),
  warrantyEnd: text("warranty_end"),
  notes: text("notes").notNull(),
  /** JSON array of photo ids. */
  photos: text("photos").notNull(),
  archived: integer("archived", { mode: "boolean" }).notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    assetId: text("asset_id"),
    title: text("title").notNull(),
    notes: text("notes").notNull(),
    assignee: text("assignee"),
    /** The schedule as JSON (schema/property/recurrence.ts). */
    schedule: text("schedule").notNull(),
    leadDays: integer("lead_days").notNull(),
    /** The proof a completion needs (schema/property/records.ts PROOF_KINDS); null for none. */
    proof: text("proof", { enum: PROOF_KINDS }),
    occurrence: text("occurrence"),
    nextDue: text("next_due"),
    archived: integer("archived", { mode: "boolean" }).notNull(),
    lastCompletedOn: text("last_completed_on"),
    lastCompletedBy: text("last_completed_by"),
    completions: integer("completions").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("tasks_next_due_idx").on(t.nextDue)],
);

/** Every completion and skip, never changed afterwards. */
export const completions = sqliteTable(
  "completions",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    kind: text("kind", { enum: ["done", "skipped"] }).notNull(),
    occurrence: text("occurrence"),
    on: text("on").notNull(),
    at: integer("at").notNull(),
    by: text("by").notNull(),
    byName: text("by_name").notNull(),
    note: text("note").notNull(),
    photoId: text("photo_id"),
    /** What it cost, in hundredths of `currency`; null when nobody said. */
    costCents: integer("cost_cents"),
    /** The home's currency when it was recorded (ISO 4217); null with no cost. */
    currency: text("currency"),
    /**
     * The task as it was before this entry (JSON of `TaskBefore`), so that a completion can be undone
     * exactly; null on entries from before undo existed, which cannot be undone.
     */
    before: text("before"),
    /** The inbox item approved as its proof; null when none was needed. */
    captureId: text("capture_id"),
    reviewedByName: text("reviewed_by_name"),
  },
  (t) => [index("completions_task_at_idx").on(t.taskId, t.at), index("completions_on_idx").on(t.on)],
);

/** Single-row settings of the home (id is always 1). */
export const homeSettings = sqliteTable("home_settings", {
  id: integer("id").primaryKey(),
  timeZone: text("time_zone").notNull(),
  /** SHA-256 (hex) of the calendar feed's secret; null when no feed is enabled. */
  feedSecretHash: text("feed_secret_hash"),
  /**
   * Who made the current feed secret: the feed ends when they leave or lose `records.write`. Null for
   * a feed made before makers were recorded (any such departure ends it) and when no feed is on.
   */
  feedMadeBy: text("feed_made_by"),
  /** The currency costs are recorded in (ISO 4217); null until someone sets it (DEFAULT_HOME_CURRENCY). */
  currency: text("currency"),
});

/** Documents on assets (a manual, a receipt): the bytes are in R2 at `r2Key`, listed with their asset. */
export const assetDocuments = sqliteTable(
  "asset_documents",
  {
    id: text("id").primaryKey(),
    assetId: text("asset_id").notNull(),
    kind: text("kind", { enum: ASSET_DOCUMENT_KINDS }).notNull(),
    title: text("title").notNull(),
    name: text("name").notNull(),
    type: text("type", { enum: ASSET_DOCUMENT_TYPES }).notNull(),
    size: integer("size").notNull(),
    r2Key: text("r2_key").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    uploadedByName: text("uploaded_by_name").notNull(),
    uploadedAt: integer("uploaded_at").notNull(),
  },
  (t) => [index("asset_documents_asset_idx").on(t.assetId, t.uploadedAt)],
);

/**
 * The inbox: quick captures filed by the family (schema/property/inbox.ts), mirrored into the document. The
 * analysis is JSON as the consumer reported it; `attempt` counts analysis runs, so a late report of an earlier
 * run changes nothing.
 */
export const captures = sqliteTable(
  "captures",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: CAPTURE_KINDS }).notNull(),
    note: text("note").notNull(),
    assetId: text("asset_id"),
    status: text("status", { enum: CAPTURE_STATUSES }).notNull(),
    reason: text("reason"),
    attempt: integer("attempt").notNull(),
    /** JSON of the audio or photo analysis; null until processed. */
    analysis: text("analysis"),
    transcription: text("transcription").notNull().default("off"),
    transcript: text("transcript"),
    taskId: text("task_id"),
    archived: integer("archived", { mode: "boolean" }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("captures_created_idx").on(t.createdAt)],
);

/**
 * A capture's files in R2, one row per part: uploaded before the item is filed (an unfiled part expires after
 * CAPTURE_UNFILED_TTL_MS), and the spectrogram the consumer rendered.
 */
export const captureFiles = sqliteTable(
  "capture_files",
  {
    captureId: text("capture_id").notNull(),
    part: text("part").notNull(),
    r2Key: text("r2_key").notNull(),
    type: text("type").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.captureId, t.part] })],
);

/** Comments on inbox items, oldest first; mirrored with their item. */
export const captureComments = sqliteTable(
  "capture_comments",
  {
    id: text("id").primaryKey(),
    captureId: text("capture_id").notNull(),
    by: text("by").notNull(),
    byName: text("by_name").notNull(),
    text: text("text").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("capture_comments_capture_idx").on(t.captureId, t.at)],
);

/**
 * Proof submitted for a task's occurrence, and its review: pending until another member approves it (which
 * records the completion) or returns it with a comment. Never deleted while its task stands.
 */
export const proofSubmissions = sqliteTable(
  "proof_submissions",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    occurrence: text("occurrence"),
    captureId: text("capture_id").notNull(),
    by: text("by").notNull(),
    byName: text("by_name").notNull(),
    at: integer("at").notNull(),
    note: text("note").notNull(),
    /** `withdrawn`: its occurrence was skipped or rescheduled, the task's proof changed, or the task was deleted. */
    status: text("status", { enum: ["pending", "approved", "returned", "withdrawn"] }).notNull(),
    comment: text("comment"),
    reviewedBy: text("reviewed_by"),
    reviewedByName: text("reviewed_by_name"),
    reviewedAt: integer("reviewed_at"),
  },
  (t) => [index("proof_submissions_task_idx").on(t.taskId, t.at)],
);
