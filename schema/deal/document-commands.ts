/**
 * A deal's document commands: their names and argument schemas. Two tables, because two callers:
 * `documentCommands` are sent by clients (socket or HTTP) like any deal command; `documentRoomCommands`
 * only the Worker's document routes run, through the room's RPC (an upload it stored in R2, a download
 * it is about to serve), so no client can register an object it never uploaded or skip the audit row.
 */
import { z } from "zod";
import {
  DEAL_DOCUMENT_MAX_BYTES,
  DEAL_DOCUMENT_MAX_VERSIONS,
  DEAL_DOCUMENT_NAME_MAX_CHARS,
  DEAL_REVIEW_COMMENT_MAX_CHARS,
} from "../../config";
import { singleLineName } from "../core/text";
import { DOCUMENT_TYPES } from "./records";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");

/** A document's file name as kept and offered on download: one line, no folder in it. */
export const documentName = singleLineName(DEAL_DOCUMENT_NAME_MAX_CHARS).refine((name) => !/[/\\]/.test(name), {
  message: "may not contain / or \\",
});

/** One uploaded file, as the Worker stored it: the type is the one its bytes showed, never a declared one. */
export const documentVersionUpload = z.strictObject({
  r2Key: z.string().min(1).max(300),
  name: documentName,
  type: z.enum(DOCUMENT_TYPES),
  size: z.number().int().positive().max(DEAL_DOCUMENT_MAX_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "is not a SHA-256 in hex"),
});

const reviewComment = z
  .string()
  .trim()
  .max(DEAL_REVIEW_COMMENT_MAX_CHARS, `may be at most ${DEAL_REVIEW_COMMENT_MAX_CHARS} characters`);

/** What clients send. */
export const documentCommands = {
  /** Approves a submitted document (a comment is optional), or returns it with a comment saying what to fix. */
  "deal.document.review": z
    .strictObject({
      documentId: id,
      decision: z.enum(["approve", "return"]),
      comment: reviewComment.nullable().default(null),
    })
    .refine((review) => review.decision === "approve" || (review.comment ?? "") !== "", {
      message: "say what to fix: a returned document needs a comment",
      path: ["comment"],
    }),
  /** Marks a document confidential (only roles that see confidential data see it), or not. */
  "deal.document.confidential": z.strictObject({ documentId: id, confidential: z.boolean() }),
} as const;

/** What only the Worker's document routes run, through the room's RPC. */
export const documentRoomCommands = {
  /**
   * Registers an upload: a new document on the task (`resubmit: false`, the Worker chose the id), or a
   * new version of the task's document `documentId` (`resubmit: true`), which goes back to review.
   */
  "deal.document.submit": z.strictObject({
    documentId: id,
    taskId: id,
    resubmit: z.boolean(),
    version: documentVersionUpload,
  }),
  /** A download about to be served: checks the caller may see it and leaves the audit row. */
  "deal.document.download": z.strictObject({
    documentId: id,
    version: z.number().int().min(1).max(DEAL_DOCUMENT_MAX_VERSIONS),
  }),
} as const;

export type DocumentCommandName = keyof typeof documentCommands;
export type DocumentRoomCommandName = keyof typeof documentRoomCommands;
export type DocumentSubmitArgs = z.output<(typeof documentRoomCommands)["deal.document.submit"]>;

/** What `deal.document.submit` answers (and the upload route with it). */
export const documentSubmitted = z.object({ documentId: z.string(), version: z.number().int() });
export type DocumentSubmitted = z.infer<typeof documentSubmitted>;

/** What `deal.document.download` answers the Worker: where the bytes are and how to name them. */
export interface DocumentDownload {
  r2Key: string;
  name: string;
  type: (typeof DOCUMENT_TYPES)[number];
  size: number;
  sha256: string;
}
