/**
 * A deal's documents in its room's SQLite, the source of truth the `documents` root mirrors. A document
 * belongs to a task and keeps every version it was ever sent in (a returned report and its fix): versions
 * are only ever added, so what a reviewer saw can always be downloaded again.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DOCUMENT_STATUSES, DOCUMENT_TYPES } from "../../schema/deal/records";

export const dealDocuments = sqliteTable(
  "deal_documents",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    status: text("status", { enum: DOCUMENT_STATUSES }).notNull(),
    confidential: integer("confidential", { mode: "boolean" }).notNull().default(false),
    /** The last review's, for the version under review; cleared when a new version is sent. */
    reviewComment: text("review_comment"),
    reviewedBy: text("reviewed_by"),
    reviewedAt: integer("reviewed_at"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("deal_documents_task").on(table.taskId)],
);

export const dealDocumentVersions = sqliteTable(
  "deal_document_versions",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => dealDocuments.id),
    version: integer("version").notNull(),
    /** Where the bytes are in R2; one object holds one version only. */
    r2Key: text("r2_key").notNull().unique(),
    name: text("name").notNull(),
    /** The type its bytes showed on upload. */
    type: text("type", { enum: DOCUMENT_TYPES }).notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    /** As it was when uploaded: the version names who sent it even after they leave the deal. */
    uploadedByName: text("uploaded_by_name").notNull(),
    uploadedAt: integer("uploaded_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.version] })],
);
