/**
 * A home's inbox in its SQLite: captures and their files, the commands that file, retry, archive and delete
 * them, and what the queue consumer reports back (schema/property/inbox.ts, docs/captures.md).
 *
 * Order of a capture: each file is uploaded by the Worker to R2 and staged here (`capture.stage`, a command no
 * client can name); `inbox.create` files the staged parts as one item, `processing`, and enqueues its analysis
 * in the same transaction; the consumer reports `processed` or `failed` for that attempt only. Whatever the room
 * forgets of R2 (a deleted item's files, parts nobody filed) is deleted by a `blobs.delete` job sent through the
 * outbox from the transaction that forgot it.
 */
import { and, count, eq, sum } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { z } from "zod";
import { CAPTURE_BYTES_PER_HOME_MAX, CAPTURE_UNFILED_TTL_MS, MAX_CAPTURES_PER_HOME } from "../../config";
import { FILE_TYPES } from "../../schema/core/files";
import { photoCapabilities } from "../../schema/core/photos";
import { can } from "../../schema/core/roles";
import {
  type AudioAnalysisRecord,
  audioAnalysis,
  CAPTURE_PARTS,
  type CaptureFile,
  type CaptureKind,
  type CapturePart,
  captureId,
  type InboxItem,
  inboxCommands,
  MAX_COMMENTS_PER_CAPTURE,
  type PhotoAnalysisRecord,
  photoAnalysis,
  RENDERED_PARTS,
  type RenderedPart,
  spectrogramImage,
  TRANSCRIPT_MAX_CHARS,
} from "../../schema/property/inbox";
import { CommandError, type CommandTable, command, type RoomEffects } from "../core/commands";
import { isStandingProof } from "./proofs";
import { captureComments, captureFiles, captures } from "./tables";

type CaptureRow = typeof captures.$inferSelect;
type FileRow = typeof captureFiles.$inferSelect;
type CommentRow = typeof captureComments.$inferSelect;

function commentsOf(db: DrizzleSqliteDODatabase, id: string): CommentRow[] {
  return db.select().from(captureComments).where(eq(captureComments.captureId, id)).orderBy(captureComments.at).all();
}

/** Whoever may capture: anyone who keeps the records or completes tasks (a home's `member` too), not a viewer. */
const CAPTURERS = photoCapabilities("property");

/** The schedule job that deletes parts nobody filed; its id names the capture. */
export const CAPTURE_EXPIRY_JOB = "capture.expire";
const expiryJobId = (id: string) => `${CAPTURE_EXPIRY_JOB}:${id}`;

/** The consumer's findings, as the `analysis` column keeps them. */
interface Findings {
  audio: AudioAnalysisRecord | null;
  photo: PhotoAnalysisRecord | null;
  spectrogram: { width: number; height: number } | null;
  thumbnail: { width: number; height: number } | null;
}

function itemFromRow(row: CaptureRow, files: FileRow[], comments: CommentRow[]): InboxItem {
  const findings: Findings =
    row.analysis === null
      ? { audio: null, photo: null, spectrogram: null, thumbnail: null }
      : { thumbnail: null, ...(JSON.parse(row.analysis) as Omit<Findings, "thumbnail">) };
  const listed: InboxItem["files"] = {};
  for (const file of files) {
    const entry: CaptureFile = { type: file.type, bytes: file.bytes, sha256: file.sha256 };
    listed[file.part as CapturePart | RenderedPart] = entry;
  }
  return {
    id: row.id,
    kind: row.kind,
    note: row.note,
    assetId: row.assetId,
    status: row.status,
    reason: row.reason,
    attempt: row.attempt,
    files: listed,
    ...findings,
    transcription: row.transcription as InboxItem["transcription"],
    transcript: row.transcript,
    comments: comments.map(({ id, by, byName, text, at }) => ({ id, by, byName, text, at })),
    taskId: row.taskId,
    archived: row.archived,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function filesOf(db: DrizzleSqliteDODatabase, id: string): FileRow[] {
  return db.select().from(captureFiles).where(eq(captureFiles.captureId, id)).all();
}

export function inboxItem(db: DrizzleSqliteDODatabase, id: string): InboxItem | undefined {
  const row = db.select().from(captures).where(eq(captures.id, id)).get();
  return row ? itemFromRow(row, filesOf(db, id), commentsOf(db, id)) : undefined;
}

/** Rows grouped by their capture. */
function byCapture<T extends { captureId: string }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.captureId) ?? [];
    list.push(row);
    grouped.set(row.captureId, list);
  }
  return grouped;
}

export function allInbox(db: DrizzleSqliteDODatabase): InboxItem[] {
  const files = byCapture(db.select().from(captureFiles).all());
  const comments = byCapture(db.select().from(captureComments).orderBy(captureComments.at).all());
  return db
    .select()
    .from(captures)
    .all()
    .map((row) => itemFromRow(row, files.get(row.id) ?? [], comments.get(row.id) ?? []));
}

/** What the upload route stages: one file of a capture, stored in R2 at `r2Key`. */
export const stagedFile = z
  .object({
    captureId,
    part: z.enum(CAPTURE_PARTS),
    r2Key: z.string().min(1).max(300),
    type: z.enum(FILE_TYPES),
    bytes: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type StagedFile = z.infer<typeof stagedFile>;

/** Whether a row of this room holds the object (or may: kept as the route's guard against deleting it). */
export function holdsCaptureObject(db: DrizzleSqliteDODatabase, r2Key: string): boolean {
  return db.select().from(captureFiles).where(eq(captureFiles.r2Key, r2Key)).get() !== undefined;
}

/** The analysis job of an item's `attempt`: its key is the attempt's, so a replayed command enqueues it once. */
function enqueueAnalysis(effects: RoomEffects, id: string, attempt: number): void {
  effects.enqueue({
    type: "capture.analyse",
    key: `capture.analyse:${id}:${attempt}`,
    roomId: effects.roomId,
    captureId: id,
    attempt,
  });
}

/** Forgets the files' rows and sends their objects' deletion through the outbox, in the caller's transaction. */
function forgetFiles(effects: RoomEffects, id: string, reason: string): void {
  const files = filesOf(effects.db, id);
  effects.db.delete(captureFiles).where(eq(captureFiles.captureId, id)).run();
  if (files.length === 0) return;
  effects.enqueue({
    type: "blobs.delete",
    key: `blobs.delete:${reason}:${id}:${effects.now}`,
    roomId: effects.roomId,
    keys: files.map((f) => f.r2Key),
  });
}

function requireItem(db: DrizzleSqliteDODatabase, id: string): CaptureRow {
  const row = db.select().from(captures).where(eq(captures.id, id)).get();
  if (!row)
    throw new CommandError("not_found", "No such item in this home's inbox.", {
      fields: [{ path: "id", message: "is not an inbox item of this home" }],
    });
  return row;
}

function kindOfParts(parts: Set<string>): CaptureKind {
  if (parts.has("photo") && (parts.has("wav") || parts.has("original")))
    throw new CommandError("validation_failed", "A capture is a recording or a photo, not both.");
  if (parts.has("photo")) return "photo";
  if (parts.has("wav")) return "audio";
  if (parts.has("original"))
    throw new CommandError(
      "validation_failed",
      "A recording needs its WAV for analysis too (Haven's app makes it); upload it under the same id.",
    );
  return "text";
}

/** An item not yet made into a task, for `inbox.to_task`. */
export function requireUnlinkedItem(ctx: RoomEffects, id: string): CaptureRow {
  const row = requireItem(ctx.db, id);
  if (row.taskId !== null) throw new CommandError("conflict", "This item is already a task.");
  return row;
}

/** Links an item to the task made of it. */
export function linkTask(ctx: RoomEffects, id: string, taskId: string): void {
  ctx.db.update(captures).set({ taskId, updatedAt: ctx.now }).where(eq(captures.id, id)).run();
  ctx.touch("inbox", id);
}

/** Files an item under the asset its words were added to, and takes it out of the open inbox. */
export function fileUnderAsset(ctx: RoomEffects, id: string, assetId: string): void {
  ctx.db.update(captures).set({ assetId, archived: true, updatedAt: ctx.now }).where(eq(captures.id, id)).run();
  ctx.touch("inbox", id);
}

/** Staging a file the Worker stored: kept apart from the kind's commands, so no client can name it. */
export const CAPTURE_UPLOAD_COMMANDS: CommandTable = {
  "capture.stage": command({
    args: stagedFile,
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.captureId}`,
    run(ctx, file) {
      if (ctx.db.select().from(captures).where(eq(captures.id, file.captureId)).get())
        throw new CommandError("conflict", "This capture is already filed; upload a new one under a new id.");
      const existing = ctx.db
        .select()
        .from(captureFiles)
        .where(and(eq(captureFiles.captureId, file.captureId), eq(captureFiles.part, file.part)))
        .get();
      if (existing)
        throw new CommandError("conflict", `This capture's ${file.part} is already uploaded; nothing was replaced.`);
      const other = ctx.db.select().from(captureFiles).where(eq(captureFiles.captureId, file.captureId)).get();
      if (other && other.uploadedBy !== ctx.actor.userId)
        throw new CommandError("forbidden", "Another person is uploading under this id.");
      const held = ctx.db
        .select({ bytes: sum(captureFiles.bytes) })
        .from(captureFiles)
        .get();
      if (Number(held?.bytes ?? 0) + file.bytes > CAPTURE_BYTES_PER_HOME_MAX)
        throw new CommandError("quota_exceeded", "This home holds as many captures as it may; delete some first.");
      ctx.db
        .insert(captureFiles)
        .values({ ...file, uploadedBy: ctx.actor.userId, at: ctx.now })
        .run();
      ctx.schedule({
        id: expiryJobId(file.captureId),
        kind: CAPTURE_EXPIRY_JOB,
        dueAt: ctx.now + CAPTURE_UNFILED_TTL_MS,
        payload: {},
      });
      return { captureId: file.captureId, part: file.part, sha256: file.sha256, bytes: file.bytes };
    },
  }),
};

export const INBOX_COMMANDS: CommandTable = {
  "inbox.create": command({
    args: inboxCommands["inbox.create"],
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      if (ctx.db.select().from(captures).where(eq(captures.id, a.id)).get())
        throw new CommandError("conflict", "This capture is already in the inbox.");
      const total = ctx.db.select({ n: count() }).from(captures).get()?.n ?? 0;
      if (total >= MAX_CAPTURES_PER_HOME)
        throw new CommandError(
          "quota_exceeded",
          `A home's inbox holds at most ${MAX_CAPTURES_PER_HOME} items; delete some first.`,
        );
      const files = filesOf(ctx.db, a.id);
      if (files.some((f) => f.uploadedBy !== ctx.actor.userId))
        throw new CommandError("forbidden", "These files were uploaded by someone else.");
      const kind = kindOfParts(new Set(files.map((f) => f.part)));
      if (kind === "text" && a.note === "")
        throw new CommandError("validation_failed", "Add a recording, a photo or a line of text.", {
          fields: [{ path: "note", message: "is required without a recording or photo" }],
        });
      if (a.assetId !== null && !ctx.sql.exec("SELECT 1 FROM assets WHERE id = ?", a.assetId).toArray().length)
        throw new CommandError("not_found", "No such asset in this home.", {
          fields: [{ path: "assetId", message: "is not an asset of this home" }],
        });
      const analysed = kind !== "text";
      ctx.db
        .insert(captures)
        .values({
          id: a.id,
          kind,
          note: a.note,
          assetId: a.assetId,
          status: analysed ? "processing" : "processed",
          reason: null,
          attempt: analysed ? 1 : 0,
          analysis: null,
          transcript: null,
          taskId: null,
          archived: false,
          createdBy: ctx.actor.userId,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .run();
      ctx.unschedule(expiryJobId(a.id));
      if (analysed) enqueueAnalysis(ctx, a.id, 1);
      ctx.touch("inbox", a.id);
      return { id: a.id, kind, status: analysed ? "processing" : "processed" };
    },
  }),
  "inbox.retry": command({
    args: inboxCommands["inbox.retry"],
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      const row = requireItem(ctx.db, a.id);
      if (row.status !== "failed")
        throw new CommandError("conflict", "Only an item whose analysis failed can be analysed again.");
      const attempt = row.attempt + 1;
      ctx.db
        .update(captures)
        .set({ status: "processing", reason: null, attempt, updatedAt: ctx.now })
        .where(eq(captures.id, a.id))
        .run();
      enqueueAnalysis(ctx, a.id, attempt);
      ctx.touch("inbox", a.id);
      return { id: a.id, attempt };
    },
  }),
  "inbox.archive": command({
    args: inboxCommands["inbox.archive"],
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      requireItem(ctx.db, a.id);
      ctx.db.update(captures).set({ archived: a.archived, updatedAt: ctx.now }).where(eq(captures.id, a.id)).run();
      ctx.touch("inbox", a.id);
      return { id: a.id, archived: a.archived };
    },
  }),
  "inbox.comment": command({
    args: inboxCommands["inbox.comment"],
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      requireItem(ctx.db, a.id);
      if (ctx.db.select().from(captureComments).where(eq(captureComments.id, a.commentId)).get())
        throw new CommandError("conflict", "This comment is already there.");
      const held = ctx.db.select({ n: count() }).from(captureComments).where(eq(captureComments.captureId, a.id)).get();
      if ((held?.n ?? 0) >= MAX_COMMENTS_PER_CAPTURE)
        throw new CommandError("quota_exceeded", `An item keeps at most ${MAX_COMMENTS_PER_CAPTURE} comments.`);
      ctx.db
        .insert(captureComments)
        .values({
          id: a.commentId,
          captureId: a.id,
          by: ctx.actor.userId,
          byName: ctx.actor.name,
          text: a.text,
          at: ctx.now,
        })
        .run();
      ctx.db.update(captures).set({ updatedAt: ctx.now }).where(eq(captures.id, a.id)).run();
      ctx.touch("inbox", a.id);
      return { id: a.id, commentId: a.commentId };
    },
  }),
  "inbox.delete": command({
    args: inboxCommands["inbox.delete"],
    anyOf: CAPTURERS,
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      const row = requireItem(ctx.db, a.id);
      if (row.createdBy !== ctx.actor.userId && !can("property", ctx.actor.role, "records.write"))
        throw new CommandError("forbidden", "Only whoever captured it, or someone who keeps the records, deletes it.");
      if (isStandingProof(ctx.db, a.id))
        throw new CommandError("conflict", "This item is a task's proof (waiting for review or approved); it stays.");
      ctx.db.delete(captures).where(eq(captures.id, a.id)).run();
      ctx.db.delete(captureComments).where(eq(captureComments.captureId, a.id)).run();
      forgetFiles(ctx, a.id, "deleted");
      ctx.touch("inbox", a.id);
      return { id: a.id };
    },
  }),
};

/** What the consumer needs of an item to analyse it: its state and its files' keys; null for none. */
export interface CaptureWork {
  kind: CaptureKind;
  status: InboxItem["status"];
  attempt: number;
  files: Partial<Record<CapturePart, { r2Key: string; type: string; bytes: number }>>;
}

export function captureWork(db: DrizzleSqliteDODatabase, id: string): CaptureWork | null {
  const row = db.select().from(captures).where(eq(captures.id, id)).get();
  if (!row) return null;
  const files: CaptureWork["files"] = {};
  for (const file of filesOf(db, id)) {
    if (CAPTURE_PARTS.includes(file.part as CapturePart))
      files[file.part as CapturePart] = { r2Key: file.r2Key, type: file.type, bytes: file.bytes };
  }
  return { kind: row.kind, status: row.status, attempt: row.attempt, files };
}

const renderedImage = spectrogramImage.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** What the consumer reports for one attempt: its findings, or why it failed. */
export const analysisReport = z.discriminatedUnion("ok", [
  z
    .object({
      ok: z.literal(true),
      captureId,
      attempt: z.number().int().positive(),
      audio: audioAnalysis.nullable(),
      photo: photoAnalysis.nullable(),
      spectrogram: renderedImage.nullable(),
      thumbnail: renderedImage.nullable(),
      transcription: z.enum(["off", "done", "failed"]),
      transcript: z.string().max(TRANSCRIPT_MAX_CHARS).nullable(),
    })
    .strict(),
  z
    .object({ ok: z.literal(false), captureId, attempt: z.number().int().positive(), reason: z.string().max(500) })
    .strict(),
]);
export type AnalysisReport = z.infer<typeof analysisReport>;

/**
 * Applies the consumer's report, in the caller's transaction, if the item is still waiting for that attempt.
 * Returns whether it did: when not (the item was deleted, retried, or already done), the caller deletes the
 * spectrogram it rendered, which no row holds.
 */
export function applyAnalysis(effects: RoomEffects, report: AnalysisReport): boolean {
  const row = effects.db.select().from(captures).where(eq(captures.id, report.captureId)).get();
  if (row?.status !== "processing" || row.attempt !== report.attempt) return false;
  if (!report.ok) {
    effects.db
      .update(captures)
      .set({ status: "failed", reason: report.reason, updatedAt: effects.now })
      .where(eq(captures.id, row.id))
      .run();
  } else {
    const size = (image: { width: number; height: number } | null) =>
      image && { width: image.width, height: image.height };
    const findings: Findings = {
      audio: report.audio,
      photo: report.photo,
      spectrogram: size(report.spectrogram),
      thumbnail: size(report.thumbnail),
    };
    effects.db
      .update(captures)
      .set({
        status: "processed",
        reason: null,
        analysis: JSON.stringify(findings),
        transcription: report.transcription,
        transcript: report.transcription === "done" ? (report.transcript ?? "") : null,
        updatedAt: effects.now,
      })
      .where(eq(captures.id, row.id))
      .run();
    for (const part of RENDERED_PARTS) {
      const image = report[part];
      if (image) replaceRendered(effects, row, part, image);
    }
  }
  effects.touch("inbox", row.id);
  return true;
}

/** Files a rendered image under its part; an earlier attempt's row goes, and its object with it. */
function replaceRendered(
  effects: RoomEffects,
  row: CaptureRow,
  part: RenderedPart,
  image: z.infer<typeof renderedImage>,
): void {
  const where = and(eq(captureFiles.captureId, row.id), eq(captureFiles.part, part));
  const earlier = effects.db.select().from(captureFiles).where(where).get();
  if (earlier) {
    effects.db.delete(captureFiles).where(where).run();
    effects.enqueue({
      type: "blobs.delete",
      key: `blobs.delete:replaced:${earlier.r2Key}`.slice(0, 200),
      roomId: effects.roomId,
      keys: [earlier.r2Key],
    });
  }
  effects.db
    .insert(captureFiles)
    .values({
      captureId: row.id,
      part,
      r2Key: image.key,
      type: "image/png",
      bytes: image.bytes,
      sha256: image.sha256,
      uploadedBy: row.createdBy,
      at: effects.now,
    })
    .run();
}

/** The expiry job: parts uploaded under an id nobody filed are forgotten, and their objects deleted. */
export function expireUnfiled(effects: RoomEffects, jobId: string): void {
  const id = jobId.slice(CAPTURE_EXPIRY_JOB.length + 1);
  if (effects.db.select().from(captures).where(eq(captures.id, id)).get()) return;
  forgetFiles(effects, id, "unfiled");
}

/** A file of an item for download (the Worker has checked the caller may read the room); null for none. */
export function captureFile(
  db: DrizzleSqliteDODatabase,
  id: string,
  part: CapturePart | RenderedPart,
): { r2Key: string; type: string; bytes: number } | null {
  const row = db
    .select()
    .from(captureFiles)
    .where(and(eq(captureFiles.captureId, id), eq(captureFiles.part, part)))
    .get();
  return row ? { r2Key: row.r2Key, type: row.type, bytes: row.bytes } : null;
}
