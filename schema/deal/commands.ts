/**
 * The commands of a deal room: their names and argument schemas, shared by the room, the HTTP API and the client.
 * Their names begin with `deal.`: a command name is one kind's only.
 * Who may run each is in docs/rooms.md (the role × command matrix) and rooms/deal/handlers.
 */
import { z } from "zod";
import { editBase } from "../core/edit-base";
import { singleLineName } from "../core/text";
import { dealDate, keyDatesSchema, relativeDueSchema } from "./dates";
import { FINANCING_TYPES } from "./records";
import { ASSIGNEE_ROLES } from "./templates";

/** Longest description or note on a task, or review comment. */
export const MAX_DEAL_TEXT_CHARS = 4000;
/** Most parties a deal names. */
export const MAX_PARTIES = 20;
/** The most a purchase price may be, in whole dollars: far above any home, well inside a safe integer. */
export const MAX_PRICE_DOLLARS = 1_000_000_000;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");
const title = singleLineName(120);
const text = z.string().max(MAX_DEAL_TEXT_CHARS, `may be at most ${MAX_DEAL_TEXT_CHARS} characters`);
const dollars = z.number().int().min(0).max(MAX_PRICE_DOLLARS);

const party = z.strictObject({
  name: singleLineName(120),
  role: singleLineName(60),
  email: z.email().max(254).nullable().default(null),
});

const financing = z.strictObject({
  type: z.enum(FINANCING_TYPES),
  lender: singleLineName(120).nullable().default(null),
  loanAmount: dollars.nullable().default(null),
});

const commission = z.strictObject({ percent: z.number().min(0).max(100) });

/** A person of the deal (checked to be a member), or a role. */
export const assigneeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("user"), userId: id }),
  z.strictObject({ kind: z.literal("role"), role: z.enum(ASSIGNEE_ROLES) }),
]);

/** A due date: relative to a key date (it moves with it), a fixed date, or none. */
export const dueSchema = z.union([
  z.strictObject({ relative: relativeDueSchema }),
  z.strictObject({ date: dealDate }),
  z.null(),
]);

const dealFields = {
  title,
  address: singleLineName(200),
  parties: z.array(party).max(MAX_PARTIES),
  purchasePrice: dollars.nullable(),
  financing: financing.nullable(),
  commission: commission.nullable(),
};

const taskEditable = {
  title,
  description: text,
  notes: text,
  milestoneId: id.nullable(),
  due: dueSchema,
  sharedWithBuyer: z.boolean(),
  documentRequested: z.boolean(),
};

export const dealCommands = {
  /** Sets up the deal in a new deal room: from a template (its milestones and tasks) or empty (null). */
  "deal.create": z.strictObject({
    templateId: id.nullable(),
    title,
    address: singleLineName(200),
    keyDates: keyDatesSchema,
    timeZone: z.string().min(1).max(64).default("America/New_York"),
    parties: z.array(party).max(MAX_PARTIES).default([]),
    purchasePrice: dollars.nullable().default(null),
    financing: financing.nullable().default(null),
    commission: commission.nullable().default(null),
  }),
  /** Only the fields changed; `base` holds their values when the form was opened. */
  "deal.update": z
    .object(dealFields)
    .partial()
    .extend({ base: editBase(dealFields) })
    .strict(),
  /** Moves key dates; every due date relative to one moves with it. */
  "deal.key_dates": z
    .strictObject({ acceptance: dealDate.optional(), closing: dealDate.optional() })
    .refine((change) => change.acceptance !== undefined || change.closing !== undefined, {
      message: "name the key date to move: acceptance or closing",
    }),
  "deal.status": z.strictObject({ status: z.enum(["open", "closed", "cancelled"]) }),
  "deal.milestone.create": z.strictObject({ id: id.optional(), name: title }),
  "deal.milestone.rename": z.strictObject({ id, name: title }),
  "deal.task.create": z.strictObject({
    id: id.optional(),
    title,
    milestoneId: id.nullable().default(null),
    description: text.default(""),
    notes: text.default(""),
    assignee: assigneeSchema.nullable().default(null),
    due: dueSchema.default(null),
    dependsOn: z.array(id).max(50).default([]),
    sharedWithBuyer: z.boolean().default(false),
    documentRequested: z.boolean().default(false),
  }),
  /** Only the fields changed; `base` holds their values when the form was opened. */
  "deal.task.update": z
    .object(taskEditable)
    .partial()
    .extend({ id, base: editBase(taskEditable) })
    .strict(),
  "deal.task.assign": z.strictObject({ id, assignee: assigneeSchema.nullable() }),
  "deal.task.start": z.strictObject({ id }),
  "deal.task.complete": z.strictObject({ id }),
  "deal.task.reopen": z.strictObject({ id }),
  "deal.task.delete": z.strictObject({ id }),
  "deal.dependency.add": z.strictObject({ taskId: id, dependsOn: id }),
  "deal.dependency.remove": z.strictObject({ taskId: id, dependsOn: id }),
} as const;

export type DealCommandName = keyof typeof dealCommands;
export type DealCommandArgs<N extends DealCommandName> = z.input<(typeof dealCommands)[N]>;
