/**
 * The commands of a property room: their names and argument schemas, shared by the room, the HTTP API and the client.
 */
import { z } from "zod";
import { COMPLETION_COST_MAX } from "../../config";
import { editBase } from "../core/edit-base";
import { singleLineName } from "../core/text";
import { inboxCommands } from "./inbox";
import { ASSET_CATEGORIES, PROOF_KINDS } from "./records";
import { isoDate, scheduleSchema } from "./recurrence";

/** Longest free-text note on an asset, a task or a completion. */
export const MAX_NOTE_CHARS = 4000;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");
const name = singleLineName(120);
const shortText = z.string().trim().max(120);
const note = z.string().max(MAX_NOTE_CHARS, `may be at most ${MAX_NOTE_CHARS} characters`);

/**
 * The occurrence a completion, skip or snooze is about, as the sender saw it (the task's
 * `occurrence`). Required: when the task has moved on (someone else did it first, or an
 * offline phone replays an old tap), the command is a conflict instead of closing the
 * next occurrence too, so two people tapping "Done" at once close it only once.
 */
const occurrence = isoDate.nullable();

/**
 * What a completion cost, in the home's currency: non-negative, at most COMPLETION_COST_MAX, and in whole
 * hundredths (a price, not a float's rounding error). The room keeps it as integer cents.
 */
export const completionCost = z
  .number()
  .min(0, "may not be negative")
  .max(COMPLETION_COST_MAX, `may be at most ${COMPLETION_COST_MAX}`)
  .refine((amount) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6, "may have at most 2 decimals");

/** A currency as ISO 4217 names it ("EUR"). */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "is not an ISO 4217 currency code (three capital letters)");

const assetFields = z.object({
  name,
  category: z.enum(ASSET_CATEGORIES),
  location: shortText,
  make: shortText,
  model: shortText,
  serialNumber: shortText,
  purchaseDate: isoDate.nullable(),
  warrantyEnd: isoDate.nullable(),
  notes: note,
});

/** What an edit of a task may change. */
const taskEditable = {
  title: name,
  notes: note,
  assetId: id.nullable(),
  assignee: id.nullable(),
  schedule: scheduleSchema,
  leadDays: z.number().int().min(0).max(60),
  proof: z.enum(PROOF_KINDS).nullable(),
};

const taskFields = {
  title: name,
  notes: note.default(""),
  assetId: id.nullable().default(null),
  assignee: id.nullable().default(null),
  schedule: scheduleSchema,
  leadDays: z.number().int().min(0).max(60).default(1),
  proof: z.enum(PROOF_KINDS).nullable().default(null),
};

/** The longest comment a reviewer sends back with a proof. */
export const MAX_REVIEW_COMMENT_CHARS = 1_000;

export const propertyCommands = {
  "asset.create": assetFields.partial().required({ name: true, category: true }).extend({ id: id.optional() }).strict(),
  /** Only the fields changed; `base` holds their values when the form was opened (schema/core/edit-base.ts). */
  "asset.update": assetFields
    .partial()
    .extend({ id, base: editBase(assetFields.shape) })
    .strict(),
  "asset.archive": z.object({ id, archived: z.boolean() }).strict(),
  "asset.add_photo": z.object({ id, photoId: id }).strict(),
  "task.create": z.object({ id: id.optional(), ...taskFields }).strict(),
  /** Only the fields changed; `base` holds their values when the form was opened. */
  "task.update": z
    .object(taskEditable)
    .partial()
    .extend({ id, base: editBase(taskEditable) })
    .strict(),
  "task.archive": z.object({ id, archived: z.boolean() }).strict(),
  "task.delete": z.object({ id }).strict(),
  "asset.delete": z.object({ id }).strict(),
  "task.complete": z
    .object({
      id,
      occurrence,
      on: isoDate.optional(),
      note: note.default(""),
      photoId: id.nullable().default(null),
      cost: completionCost.nullable().default(null),
    })
    .strict(),
  /** Takes back a completion its completer just made (within `TASK_UNDO_WINDOW_MS`, with nothing after it). */
  "task.undo_complete": z.object({ id, completionId: id }).strict(),
  "task.skip": z.object({ id, occurrence, reason: z.string().trim().min(1, "is required").max(500) }).strict(),
  "task.snooze": z.object({ id, occurrence, until: isoDate }).strict(),
  /** Submits an inbox item (a photo or recording its sender captured) as proof that the occurrence is done. */
  "task.submit_proof": z
    .object({ id, occurrence, captureId: z.uuid(), note: z.string().trim().max(500).default("") })
    .strict(),
  /** Another member's verdict on a pending proof: approval completes the occurrence, a return says why. */
  "task.review": z.discriminatedUnion("verdict", [
    z.object({ id, submissionId: z.uuid(), verdict: z.literal("approve") }).strict(),
    z
      .object({
        id,
        submissionId: z.uuid(),
        verdict: z.literal("return"),
        comment: z
          .string()
          .trim()
          .min(1, "is required: say what is missing")
          .max(MAX_REVIEW_COMMENT_CHARS, `may be at most ${MAX_REVIEW_COMMENT_CHARS} characters`),
      })
      .strict(),
  ]),
  "home.settings": z.object({ timeZone: z.string().min(1).max(64), currency: currencyCode.optional() }).strict(),
  ...inboxCommands,
  /** Makes a task of an inbox item (`task` as `task.create` takes it), and links the item to it. */
  "inbox.to_task": z.object({ id: z.uuid(), task: z.object({ id: id.optional(), ...taskFields }).strict() }).strict(),
  /** Adds an item's words to an asset's notes (dated, marked as from the inbox), files it there and archives it. */
  "inbox.to_note": z
    .object({ id: z.uuid(), assetId: id, text: z.string().trim().min(1, "is required").max(1_000) })
    .strict(),
} as const;

export type PropertyCommandName = keyof typeof propertyCommands;
export type PropertyCommandArgs<N extends PropertyCommandName> = z.input<(typeof propertyCommands)[N]>;

/** `GET /api/rooms/:roomId/tasks/:taskId/history`: newest first, a page at a time. */
export const taskHistoryQuery = z.object({
  before: z.coerce.number().int().positive().optional().meta({ description: "The `next` of the previous page." }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
