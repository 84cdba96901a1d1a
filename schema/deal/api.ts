/**
 * The deal's HTTP answers for integrations (the summary, the buyer timeline, a task page, saved templates) and the
 * body that saves a template. Each record in them is projected for the caller's role (schema/deal/classes.ts): a
 * field the role may not see is absent, so every field of a projected record is optional here. Strict, as every
 * documented answer is.
 */
import { z } from "zod";
import type { Holds, Same } from "../core/responses";
import { singleLineName } from "../core/text";
import { relativeDueSchema } from "./dates";
import { DEAL_INFO_ID, DEAL_STATUSES, type Deal, type DealTask, FINANCING_TYPES, type Milestone } from "./records";
import { ASSIGNEE_ROLES } from "./templates";

const day = z.string().meta({ description: "A date, YYYY-MM-DD, in the deal's time zone." });
const epochMs = z.number().int().meta({ description: "Milliseconds since the epoch." });
const TASK_STATES = ["PENDING", "BLOCKED", "IN_PROGRESS", "COMPLETED", "OVERDUE"] as const;

const assigneeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("user"), userId: z.string(), name: z.string() }),
  z.strictObject({ kind: z.literal("role"), role: z.enum(ASSIGNEE_ROLES) }),
]);

/** The deal record as the caller's role may see it. */
export const projectedDealSchema = z
  .strictObject({
    id: z.literal(DEAL_INFO_ID),
    title: z.string(),
    address: z.string(),
    status: z.enum(DEAL_STATUSES),
    stage: z.string().nullable(),
    keyDates: z.strictObject({ acceptance: day, closing: day }),
    timeZone: z.string(),
    parties: z.array(z.strictObject({ name: z.string(), role: z.string(), email: z.string().nullable() })),
    purchasePrice: z.number().int().nullable(),
    financing: z
      .strictObject({ type: z.enum(FINANCING_TYPES), lender: z.string().nullable(), loanAmount: z.number().nullable() })
      .nullable(),
    commission: z.strictObject({ percent: z.number() }).nullable(),
    templateId: z.string().nullable(),
    createdAt: epochMs,
  })
  .partial()
  .meta({ id: "DealRecord", description: "The deal; fields the caller's role may not see are absent." });

export const projectedMilestoneSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    order: z.number().int(),
    status: z.enum(["pending", "reached"]),
    dueDate: day.nullable(),
    reachedAt: epochMs.nullable(),
    completed: z.number().int(),
    total: z.number().int(),
  })
  .partial()
  .meta({ id: "DealMilestone", description: "A milestone; fields the caller's role may not see are absent." });

export const projectedTaskSchema = z
  .strictObject({
    id: z.string(),
    milestoneId: z.string().nullable(),
    order: z.number().int(),
    title: z.string(),
    description: z.string(),
    notes: z.string(),
    assignee: assigneeSchema.nullable(),
    due: relativeDueSchema.nullable(),
    dueDate: day.nullable(),
    state: z.enum(TASK_STATES),
    started: z.boolean(),
    blocked: z.boolean(),
    overdue: z.boolean(),
    startedAt: epochMs.nullable(),
    completedAt: epochMs.nullable(),
    completedBy: z.string().nullable(),
    dependsOn: z.array(z.string()),
    sharedWithBuyer: z.boolean(),
    documentRequested: z.boolean(),
    createdAt: epochMs,
    createdBy: z.string().nullable().meta({ description: "Who created it (internal); null for a template's task." }),
    updatedAt: epochMs,
  })
  .partial()
  .meta({ id: "DealTask", description: "A task; fields the caller's role may not see are absent." });

/** A task named in a list: enough to show it and link to it. */
export const taskRefSchema = z
  .strictObject({ id: z.string(), title: z.string(), state: z.enum(TASK_STATES), dueDate: day.nullable() })
  .meta({ id: "DealTaskRef" });
export type TaskRef = z.infer<typeof taskRefSchema>;

const progressSchema = z
  .strictObject({ completed: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
  .meta({ description: "Of the milestone's tasks the caller can see: how many are completed, of how many." });

export const dealSummarySchema = z
  .strictObject({
    deal: projectedDealSchema,
    milestones: z.array(projectedMilestoneSchema.extend({ progress: progressSchema })),
    counts: z
      .strictObject({
        open: z.number().int().nonnegative(),
        overdue: z.number().int().nonnegative(),
        blocked: z.number().int().nonnegative(),
        completed: z.number().int().nonnegative(),
      })
      .meta({ description: "Over the tasks the caller can see; `blocked` and `overdue` count open tasks only." }),
    daysToClosing: z
      .number()
      .int()
      .meta({ description: "Days from today in the deal's time zone to closing; negative once it has passed." }),
    owes: z
      .array(z.strictObject({ assignee: assigneeSchema.nullable(), tasks: z.array(taskRefSchema) }))
      .meta({ description: "Open tasks the caller can see, grouped by assignee (null: nobody yet)." }),
  })
  .meta({ id: "DealSummary" });
export type DealSummary = z.infer<typeof dealSummarySchema>;

export const dealTimelineSchema = z
  .strictObject({
    steps: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        status: z.enum(["reached", "current", "upcoming"]),
        dueDate: day.nullable().meta({ description: "When the milestone is due: its last task's due date." }),
        reachedAt: epochMs.nullable(),
      }),
    ),
    next: z
      .array(taskRefSchema)
      .meta({ description: "The caller's open tasks (assigned to them or their role), soonest due first." }),
    keyDates: z.strictObject({ acceptance: day, closing: day }),
    daysToClosing: z.number().int(),
  })
  .meta({ id: "DealTimeline" });
export type DealTimeline = z.infer<typeof dealTimelineSchema>;

const relatedSchema = z.strictObject({ direct: z.array(taskRefSchema), indirect: z.array(taskRefSchema) });

export const dealTaskPageSchema = z
  .strictObject({
    task: projectedTaskSchema,
    dependencies: z
      .strictObject({
        waitsFor: relatedSchema.meta({ description: "What this task waits for, directly and through those." }),
        neededBy: relatedSchema.meta({ description: "What waits for this task, directly and through those." }),
      })
      .optional()
      .meta({ description: "Absent for roles that do not see internal data: the lists may name internal tasks." }),
  })
  .meta({ id: "DealTaskPage" });
export type DealTaskPage = z.infer<typeof dealTaskPageSchema>;

export const saveTemplateBody = z.strictObject({ name: singleLineName(120) });

export const templateListItemSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    builtIn: z.boolean(),
    milestones: z.number().int().nonnegative(),
    tasks: z.number().int().nonnegative(),
  })
  .meta({ id: "DealTemplateSummary", description: "A template a deal can start from (`deal.create` `templateId`)." });
export type TemplateListItem = z.infer<typeof templateListItemSchema>;
export const templateListSchema = z.strictObject({ templates: z.array(templateListItemSchema) });
export const savedTemplateSchema = z.strictObject({ template: templateListItemSchema });

/** Compile-time only: the projected schemas admit exactly the records' fields, each optional. */
type _DealMatches = Holds<Same<z.infer<typeof projectedDealSchema>, Partial<Deal>>>;
type _MilestoneMatches = Holds<Same<z.infer<typeof projectedMilestoneSchema>, Partial<Milestone>>>;
type _TaskMatches = Holds<Same<z.infer<typeof projectedTaskSchema>, Partial<DealTask>>>;
