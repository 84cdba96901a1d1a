/**
 * Deal templates are data: milestones, their tasks, each task's role, due date relative to a key date and the
 * tasks it waits for. A template is checked by `templateSchema`, and `instantiateTemplate` turns it into the plain
 * task list a new deal starts with. Cycles are not checked here: the deal's dependency graph module refuses them.
 */
import { z } from "zod";
import { DEAL_TEMPLATE_MAX_DEPENDENCIES, DEAL_TEMPLATE_MAX_MILESTONES, DEAL_TEMPLATE_MAX_TASKS } from "../../config";
import type { DataClass } from "./classes";
import {
  type BusinessCalendar,
  KEY_DATES,
  type KeyDateProblem,
  type KeyDates,
  keyDateSchema,
  keyDatesProblem,
  type RelativeDue,
  relativeDueSchema,
  resolveDue,
  US_FEDERAL_CALENDAR,
} from "./dates";
import type { dealKind } from "./manifest";

/** Whom a template's tasks go to: the deal's working roles, named in its manifest (owners delegate). */
export const ASSIGNEE_ROLES = [
  "buyer",
  "buyer_agent",
  "transaction_coordinator",
  "admin",
] as const satisfies readonly (keyof typeof dealKind.roles)[];
/** A task's data class (schema/deal/classes.ts); the audit log's restricted class is never a task's. */
export const TASK_CLASSES = ["public", "internal", "confidential"] as const satisfies readonly DataClass[];

const key = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be lower-case letters, digits and _ (up to 64)");
const title = z.string().trim().min(1, "is required").max(120, "may be at most 120 characters");

const templateTaskSchema = z
  .strictObject({
    key,
    title,
    assigneeRole: z.enum(ASSIGNEE_ROLES),
    due: relativeDueSchema,
    dependsOn: z.array(key).max(DEAL_TEMPLATE_MAX_DEPENDENCIES),
    sharedWithBuyer: z.boolean(),
    classification: z.enum(TASK_CLASSES).optional(),
  })
  .refine((task) => !(task.sharedWithBuyer && task.classification === "internal"), {
    path: ["classification"],
    message: "an internal task cannot be shared with the buyer",
  })
  .refine((task) => task.assigneeRole !== "buyer" || task.sharedWithBuyer, {
    path: ["sharedWithBuyer"],
    message: "a task assigned to the buyer must be shared with the buyer",
  });
export type TemplateTask = z.infer<typeof templateTaskSchema>;

/** A template: its key dates, milestones and tasks, with every reference inside it checked. */
export const templateSchema = z
  .strictObject({
    id: key,
    name: title,
    keyDates: z.array(keyDateSchema).min(1).max(KEY_DATES.length),
    milestones: z
      .array(z.strictObject({ key, title, tasks: z.array(templateTaskSchema) }))
      .max(DEAL_TEMPLATE_MAX_MILESTONES),
  })
  .superRefine((template, ctx) => {
    const tasks = template.milestones.flatMap((milestone) => milestone.tasks);
    if (tasks.length > DEAL_TEMPLATE_MAX_TASKS) {
      ctx.addIssue({
        code: "custom",
        path: ["milestones"],
        message: `may hold at most ${DEAL_TEMPLATE_MAX_TASKS} tasks`,
      });
    }
    const milestoneKeys = new Set<string>();
    const taskKeys = new Set<string>();
    template.milestones.forEach((milestone, m) => {
      if (milestoneKeys.has(milestone.key)) {
        ctx.addIssue({ code: "custom", path: ["milestones", m, "key"], message: `${milestone.key} is used twice` });
      }
      milestoneKeys.add(milestone.key);
      milestone.tasks.forEach((task, t) => {
        if (taskKeys.has(task.key)) {
          ctx.addIssue({
            code: "custom",
            path: ["milestones", m, "tasks", t, "key"],
            message: `${task.key} is used twice`,
          });
        }
        taskKeys.add(task.key);
      });
    });
    template.milestones.forEach((milestone, m) => {
      milestone.tasks.forEach((task, t) => {
        const at = ["milestones", m, "tasks", t];
        if (!template.keyDates.includes(task.due.anchor)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "due", "anchor"],
            message: `${task.due.anchor} is not a key date of the template`,
          });
        }
        for (const dependency of task.dependsOn) {
          if (dependency === task.key || !taskKeys.has(dependency)) {
            ctx.addIssue({
              code: "custom",
              path: [...at, "dependsOn"],
              message: `${dependency} is not another task of the template`,
            });
          }
        }
      });
    });
  })
  .meta({ id: "DealTemplate", description: "A deal's milestones and tasks, due dates relative to its key dates." });
export type Template = z.infer<typeof templateSchema>;

/** One task of a new deal, as a template lays it out. */
export interface InstantiatedTask {
  id: string;
  key: string;
  milestoneKey: string;
  title: string;
  assigneeRole: TemplateTask["assigneeRole"];
  due: RelativeDue;
  /** `due` resolved for the deal's key dates (YYYY-MM-DD). */
  dueDate: string;
  dependsOn: string[];
  dependsOnKeys: string[];
  sharedWithBuyer: boolean;
  classification: TemplateTask["classification"];
}

/** The tasks a deal starts with, ids from `newId`; or the problem with the key dates (nothing is made then). */
export function instantiateTemplate(
  template: Template,
  keyDates: KeyDates,
  newId: () => string,
  calendar: BusinessCalendar = US_FEDERAL_CALENDAR,
): { ok: true; tasks: InstantiatedTask[] } | { ok: false; error: KeyDateProblem } {
  const found = keyDatesProblem(keyDates);
  if (found) return { ok: false, error: found };
  const ids = new Map<string, string>();
  for (const milestone of template.milestones) for (const task of milestone.tasks) ids.set(task.key, newId());
  const tasks = template.milestones.flatMap((milestone) =>
    milestone.tasks.map((task) => ({
      id: ids.get(task.key) ?? newId(),
      key: task.key,
      milestoneKey: milestone.key,
      title: task.title,
      assigneeRole: task.assigneeRole,
      due: task.due,
      dueDate: resolveDue(task.due, keyDates, calendar),
      dependsOn: task.dependsOn.map((dependency) => ids.get(dependency) ?? dependency),
      dependsOnKeys: [...task.dependsOn],
      sharedWithBuyer: task.sharedWithBuyer,
      classification: task.classification,
    })),
  );
  return { ok: true, tasks };
}

export { cashPurchase } from "./templates/cash";
export { financedPurchase } from "./templates/financed";
