/**
 * A deal's documents in the room: the commands that submit, review and mark them, the check behind every
 * download, and the records the `documents` root mirrors.
 *
 * Who may see a document is decided by the data classes (schema/deal/classes.ts), never here: a document
 * is its task's (a buyer sees it only on a task shared with them) and, marked confidential, only for roles
 * that see confidential data. A document a caller may not see is answered `not_found`, exactly as one that
 * does not exist, so its id tells nothing.
 */
import { and, asc, count, desc, eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { DEAL_DOCUMENT_MAX_VERSIONS, DEAL_DOCUMENTS_MAX } from "../../config";
import { can } from "../../schema/core/roles";
import { projectForRole } from "../../schema/deal/classes";
import {
  type DocumentDownload,
  type DocumentSubmitArgs,
  type DocumentSubmitted,
  documentCommands,
  documentRoomCommands,
} from "../../schema/deal/document-commands";
import type { Assignee, DealDocument, DocumentVersion } from "../../schema/deal/records";
import { type CommandContext, CommandError, type CommandTable, command } from "../core/commands";
import type { VerifiedMember } from "../core/identity";
import { dealDocuments, dealDocumentVersions } from "./document-tables";
import { dealNotice, taskUrl } from "./notices";
import { assigneeOf, taskRow } from "./records";

/** What the document commands need to know of a task. */
interface DocumentTask {
  id: string;
  title: string;
  sharedWithBuyer: boolean;
  assignee: Assignee | null;
}

function documentTask(db: DrizzleSqliteDODatabase, taskId: string): DocumentTask | undefined {
  const row = taskRow(db, taskId);
  return row && { id: row.id, title: row.title, sharedWithBuyer: row.sharedWithBuyer, assignee: assigneeOf(row) };
}

/** Where a deal keeps a document's bytes in R2: under the room, so deleting the room deletes them. */
export const documentObjectPrefix = (roomId: string) => `rooms/${roomId}/docs/`;

type DocumentRow = typeof dealDocuments.$inferSelect;

function versionsOf(db: DrizzleSqliteDODatabase, documentId: string): DocumentVersion[] {
  return db
    .select({
      version: dealDocumentVersions.version,
      name: dealDocumentVersions.name,
      type: dealDocumentVersions.type,
      size: dealDocumentVersions.size,
      sha256: dealDocumentVersions.sha256,
      uploadedBy: dealDocumentVersions.uploadedBy,
      uploadedByName: dealDocumentVersions.uploadedByName,
      uploadedAt: dealDocumentVersions.uploadedAt,
    })
    .from(dealDocumentVersions)
    .where(eq(dealDocumentVersions.documentId, documentId))
    .orderBy(asc(dealDocumentVersions.version))
    .all();
}

function recordOf(row: DocumentRow, versions: DocumentVersion[]): DealDocument | undefined {
  const latest = versions.at(-1);
  // A document is written together with its first version: one without any is not a document yet.
  if (!latest) return undefined;
  return {
    id: row.id,
    taskId: row.taskId,
    name: latest.name,
    type: latest.type,
    size: latest.size,
    status: row.status,
    versions,
    uploadedBy: latest.uploadedBy,
    confidential: row.confidential,
    reviewComment: row.reviewComment,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
  };
}

/** A document as the `documents` root mirrors it, or undefined when there is none. */
export function getDocument(db: DrizzleSqliteDODatabase, id: string): DealDocument | undefined {
  const row = db.select().from(dealDocuments).where(eq(dealDocuments.id, id)).get();
  return row ? recordOf(row, versionsOf(db, id)) : undefined;
}

/** Every document of the deal, oldest first, to rebuild the mirror. */
export function allDocuments(db: DrizzleSqliteDODatabase): DealDocument[] {
  const byDocument = new Map<string, DocumentVersion[]>();
  for (const { documentId, ...version } of db
    .select()
    .from(dealDocumentVersions)
    .orderBy(asc(dealDocumentVersions.documentId), asc(dealDocumentVersions.version))
    .all()) {
    const { r2Key: _r2Key, ...shown } = version;
    byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), shown]);
  }
  return db
    .select()
    .from(dealDocuments)
    .orderBy(asc(dealDocuments.createdAt), asc(dealDocuments.id))
    .all()
    .flatMap((row) => recordOf(row, byDocument.get(row.id) ?? []) ?? []);
}

/**
 * The ids of a task's documents: when the task is shared or un-shared, or deleted, their projections
 * change with it, so the room touches them too.
 */
export function documentIdsOfTask(db: DrizzleSqliteDODatabase, taskId: string): string[] {
  return db
    .select({ id: dealDocuments.id })
    .from(dealDocuments)
    .where(eq(dealDocuments.taskId, taskId))
    .all()
    .map((row) => row.id);
}

/** Whether a stored version holds this R2 object: the upload route keeps such an object whatever else fails. */
export function holdsObject(db: DrizzleSqliteDODatabase, r2Key: string): boolean {
  return (
    db
      .select({ key: dealDocumentVersions.r2Key })
      .from(dealDocumentVersions)
      .where(eq(dealDocumentVersions.r2Key, r2Key))
      .get() !== undefined
  );
}

/** Whether `role` may see the task at all (a buyer: only when it is shared). */
function seesTask(role: string, task: DocumentTask): boolean {
  return projectForRole({ id: task.id, sharedWithBuyer: task.sharedWithBuyer }, "task", role) !== null;
}

/** Whether `role` may see a document of `task` (undefined: the task was deleted, and the document is internal). */
function seesDocument(
  role: string,
  document: { id: string; taskId: string; confidential: boolean },
  task?: DocumentTask,
) {
  const sharedTaskIds = new Set(task?.sharedWithBuyer ? [task.id] : []);
  return projectForRole(document, "document", role, { sharedTaskIds }) !== null;
}

/** Whether the task is the actor's own: assigned to them, or to their role. */
function isOwnTask(actor: VerifiedMember, task: DocumentTask): boolean {
  const { assignee } = task;
  if (!assignee) return false;
  return assignee.kind === "user" ? assignee.userId === actor.userId : assignee.role === actor.role;
}

const noSuchTask = () => new CommandError("not_found", "No such task.");
const noSuchDocument = () => new CommandError("not_found", "No such document.");

/** The document, when it exists and the actor may see it; not_found otherwise, alike. */
function visibleDocument(ctx: CommandContext, documentId: string) {
  const row = ctx.db.select().from(dealDocuments).where(eq(dealDocuments.id, documentId)).get();
  if (!row) throw noSuchDocument();
  const task = documentTask(ctx.db, row.taskId);
  if (!seesDocument(ctx.actor.role, row, task)) throw noSuchDocument();
  return { row, task };
}

function latestVersion(ctx: CommandContext, documentId: string) {
  return ctx.db
    .select()
    .from(dealDocumentVersions)
    .where(eq(dealDocumentVersions.documentId, documentId))
    .orderBy(desc(dealDocumentVersions.version))
    .get();
}

function announceSubmitted(ctx: CommandContext, task: DocumentTask, submitted: DocumentSubmitted, name: string) {
  const again = submitted.version > 1 ? ` (version ${submitted.version})` : "";
  dealNotice(ctx, "document_submitted", `${submitted.documentId}:${submitted.version}`, {
    audience: { capability: "documents.review" },
    title: `Document to review: ${name}`,
    body: `${ctx.actor.name} submitted ${name}${again} for "${task.title}".`,
    url: taskUrl(ctx.roomId, task.id),
  });
}

/**
 * The uploader learns the document came back, not why: the comment is read in the deal, where what they
 * may see is checked, since the task may have stopped being shared with them since they uploaded.
 */
function announceReturned(ctx: CommandContext, document: DealDocument): void {
  const version = document.versions.at(-1)?.version ?? 1;
  dealNotice(ctx, "document_returned", `${document.id}:${version}`, {
    audience: { userIds: [document.uploadedBy], orElse: "tasks.manage" },
    title: `Document returned: ${document.name}`,
    body: `${ctx.actor.name} returned ${document.name} with a comment. Read it and send a new version.`,
    url: taskUrl(ctx.roomId, document.taskId),
  });
}

function submit(ctx: CommandContext, args: DocumentSubmitArgs): DocumentSubmitted {
  const { actor } = ctx;
  const task = documentTask(ctx.db, args.taskId);
  if (!task || !seesTask(actor.role, task)) throw noSuchTask();
  if (!can("deal", actor.role, "documents.upload") && !isOwnTask(actor, task))
    throw new CommandError("forbidden", "You may upload documents only to tasks assigned to you or your role.");
  // Set by the Worker; checked again so no object outside this room's own can become its document.
  if (!args.version.r2Key.startsWith(documentObjectPrefix(ctx.roomId)))
    throw new CommandError("validation_failed", "The upload is not this deal's.");
  let version = 1;
  if (args.resubmit) {
    const { row } = visibleDocument(ctx, args.documentId);
    if (row.taskId !== task.id) throw noSuchDocument();
    version = (latestVersion(ctx, row.id)?.version ?? 0) + 1;
    if (version > DEAL_DOCUMENT_MAX_VERSIONS)
      throw new CommandError("quota_exceeded", `A document keeps at most ${DEAL_DOCUMENT_MAX_VERSIONS} versions.`, {
        maxVersions: DEAL_DOCUMENT_MAX_VERSIONS,
      });
    // A new version goes back to review; the last review was of the version before.
    ctx.db
      .update(dealDocuments)
      .set({ status: "submitted", reviewComment: null, reviewedBy: null, reviewedAt: null })
      .where(eq(dealDocuments.id, row.id))
      .run();
  } else {
    if (ctx.db.select({ id: dealDocuments.id }).from(dealDocuments).where(eq(dealDocuments.id, args.documentId)).get())
      throw new CommandError("conflict", "A document with this id exists already.");
    const held = ctx.db.select({ n: count() }).from(dealDocuments).get()?.n ?? 0;
    if (held >= DEAL_DOCUMENTS_MAX)
      throw new CommandError("quota_exceeded", `A deal holds at most ${DEAL_DOCUMENTS_MAX} documents.`, {
        documents: held,
        maxDocuments: DEAL_DOCUMENTS_MAX,
      });
    ctx.db
      .insert(dealDocuments)
      .values({ id: args.documentId, taskId: task.id, status: "submitted", confidential: false, createdAt: ctx.now })
      .run();
  }
  ctx.db
    .insert(dealDocumentVersions)
    .values({
      ...args.version,
      documentId: args.documentId,
      version,
      uploadedBy: actor.userId,
      uploadedByName: actor.name,
      uploadedAt: ctx.now,
    })
    .run();
  ctx.touch("documents", args.documentId);
  const submitted = { documentId: args.documentId, version };
  announceSubmitted(ctx, task, submitted, args.version.name);
  return submitted;
}

/** The document commands clients send (socket or HTTP), part of the deal's command table. */
export const DOCUMENT_COMMANDS: CommandTable = {
  "deal.document.review": command({
    args: documentCommands["deal.document.review"],
    anyOf: ["documents.review"],
    subject: (a) => `document:${a.documentId}`,
    run(ctx, { documentId, decision, comment }) {
      const { row } = visibleDocument(ctx, documentId);
      if (row.status !== "submitted")
        throw new CommandError("conflict", `This document was ${row.status} already; a new version reopens it.`, {
          status: row.status,
        });
      const status = decision === "approve" ? "approved" : "returned";
      ctx.db
        .update(dealDocuments)
        .set({ status, reviewComment: comment || null, reviewedBy: ctx.actor.userId, reviewedAt: ctx.now })
        .where(eq(dealDocuments.id, documentId))
        .run();
      ctx.touch("documents", documentId);
      const document = getDocument(ctx.db, documentId);
      if (status === "returned" && document) announceReturned(ctx, document);
      return { documentId, status };
    },
  }),
  "deal.document.confidential": command({
    args: documentCommands["deal.document.confidential"],
    anyOf: ["documents.review"],
    subject: (a) => `document:${a.documentId}`,
    run(ctx, { documentId, confidential }) {
      // Marking needs both: reviewing documents, and seeing what the mark hides.
      if (!can(ctx.kind, ctx.actor.role, "deal.read_confidential"))
        throw new CommandError("forbidden", "Only roles that see confidential data may mark documents.");
      visibleDocument(ctx, documentId);
      ctx.db.update(dealDocuments).set({ confidential }).where(eq(dealDocuments.id, documentId)).run();
      ctx.touch("documents", documentId);
      return { documentId, confidential };
    },
  }),
};

/** What only the Worker's document routes run, through the room's RPC: no client can name these. */
export const DOCUMENT_ROOM_COMMANDS: CommandTable = {
  "deal.document.submit": command({
    // Either capability; which tasks `documents.upload_own` covers is checked against the task.
    args: documentRoomCommands["deal.document.submit"],
    anyOf: ["documents.upload", "documents.upload_own"],
    subject: (a) => `document:${a.documentId}`,
    run: (ctx, args) => submit(ctx, args),
  }),
  "deal.document.download": command({
    args: documentRoomCommands["deal.document.download"],
    anyOf: ["room.read"],
    subject: (a) => `document:${a.documentId}:v${a.version}`,
    run(ctx, { documentId, version }): DocumentDownload {
      visibleDocument(ctx, documentId);
      const stored = ctx.db
        .select()
        .from(dealDocumentVersions)
        .where(and(eq(dealDocumentVersions.documentId, documentId), eq(dealDocumentVersions.version, version)))
        .get();
      if (!stored) throw new CommandError("not_found", "No such version of this document.");
      const { r2Key, name, type, size, sha256 } = stored;
      return { r2Key, name, type, size, sha256 };
    },
  }),
};
