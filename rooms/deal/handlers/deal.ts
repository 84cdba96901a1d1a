/**
 * The deal's own commands: setting it up from a template (or empty), changing its record and status, moving its
 * key dates (every relative due date moves with them), and its milestones.
 */
import { count, eq } from "drizzle-orm";
import { MAX_MILESTONES_PER_DEAL } from "../../../config";
import { isTimeZone } from "../../../schema/core/notifications";
import { dealCommands } from "../../../schema/deal/commands";
import { changeKeyDates, type RelativeDue, resolveDue } from "../../../schema/deal/dates";
import { cashPurchase, financedPurchase, instantiateTemplate, type Template } from "../../../schema/deal/templates";
import { type CommandContext, CommandError, command } from "../../core/commands";
import { requireFreshBase } from "../../core/edit-base";
import { planDueJobs } from "../due-jobs";
import { dealNotice, EVERYONE } from "../notices";
import { allTaskRows, infoRow, keyDatesOf, milestoneRow } from "../records";
import { findSavedTemplate } from "../saved-templates";
import { dealDependencies, dealInfo, dealTasks, milestones } from "../tables";
import { newId, requireDeal, touchTask } from "./common";

/** The templates every deal can start from, by id. */
export const BUILT_IN_TEMPLATES: ReadonlyMap<string, Template> = new Map(
  [financedPurchase, cashPurchase].map((template) => [template.id, template]),
);

function failWith(error: { code: "validation_failed"; message: string; details?: unknown }): never {
  throw new CommandError(error.code, error.message, error.details);
}

/** Lays a template's milestones and tasks into the deal. */
function layOut(ctx: CommandContext, template: Template, args: { keyDates: { acceptance: string; closing: string } }) {
  const made = instantiateTemplate(template, args.keyDates, newId);
  if (!made.ok) failWith(made.error);
  const milestoneIds = new Map<string, string>();
  template.milestones.forEach((milestone, ord) => {
    const id = newId();
    milestoneIds.set(milestone.key, id);
    ctx.db.insert(milestones).values({ id, name: milestone.title, ord, reachedAt: null, createdAt: ctx.now }).run();
    ctx.touch("milestones", id);
  });
  made.tasks.forEach((task, ord) => {
    const row = {
      id: task.id,
      milestoneId: milestoneIds.get(task.milestoneKey) ?? null,
      ord,
      title: task.title,
      description: "",
      notes: "",
      assignee: JSON.stringify({ kind: "role", role: task.assigneeRole }),
      assigneeOutsider: task.assigneeRole === "buyer",
      dueRule: JSON.stringify(task.due),
      dueDate: task.dueDate,
      startedAt: null,
      startedBy: null,
      completedAt: null,
      completedBy: null,
      sharedWithBuyer: task.sharedWithBuyer,
      documentRequested: false,
      createdAt: ctx.now,
      createdBy: null,
      updatedAt: ctx.now,
    };
    ctx.db.insert(dealTasks).values(row).run();
    for (const dependsOn of task.dependsOn)
      ctx.db.insert(dealDependencies).values({ taskId: task.id, dependsOn }).run();
    ctx.touch("tasks", task.id);
  });
  return made.tasks;
}

const createDeal = command({
  args: dealCommands["deal.create"],
  anyOf: ["deal.edit"],
  subject: () => "deal",
  vet: (facts, args, actor) => findSavedTemplate(facts, args.templateId, actor.userId),
  run(ctx, args, saved) {
    if (infoRow(ctx.db)) throw new CommandError("conflict", "This deal is set up already.");
    if (!isTimeZone(args.timeZone))
      throw new CommandError("validation_failed", "Unknown time zone.", {
        fields: [{ path: "timeZone", message: "is not an IANA time zone" }],
      });
    const template = args.templateId === null ? null : (BUILT_IN_TEMPLATES.get(args.templateId) ?? saved ?? undefined);
    if (template === undefined)
      throw new CommandError("validation_failed", "No such template.", {
        fields: [
          {
            path: "templateId",
            message:
              `is not one of ${[...BUILT_IN_TEMPLATES.keys()].join(", ")}, ` +
              "nor a template saved by you or by an owner of this deal",
          },
        ],
      });
    ctx.db
      .insert(dealInfo)
      .values({
        id: 1,
        title: args.title,
        address: args.address,
        status: "open",
        acceptance: args.keyDates.acceptance,
        closing: args.keyDates.closing,
        timeZone: args.timeZone,
        parties: JSON.stringify(args.parties),
        purchasePrice: args.purchasePrice,
        financing: args.financing === null ? null : JSON.stringify(args.financing),
        commission: args.commission === null ? null : JSON.stringify(args.commission),
        templateId: template?.id ?? null,
        createdAt: ctx.now,
        createdBy: ctx.actor.userId,
      })
      .run();
    ctx.touch("deal", "info");
    const tasks = template ? layOut(ctx, template, args) : [];
    for (const task of tasks)
      planDueJobs(ctx, { id: task.id, dueDate: task.dueDate, completedAt: null }, args.timeZone, false);
    return { tasks: tasks.length };
  },
});

const updateDeal = command({
  args: dealCommands["deal.update"],
  anyOf: ["deal.edit"],
  subject: () => "deal",
  run(ctx, args) {
    const row = requireDeal(ctx);
    const { base, ...changes } = args;
    const current = {
      title: row.title,
      address: row.address,
      parties: JSON.parse(row.parties) as unknown,
      purchasePrice: row.purchasePrice,
      financing: row.financing === null ? null : (JSON.parse(row.financing) as unknown),
      commission: row.commission === null ? null : (JSON.parse(row.commission) as unknown),
    };
    requireFreshBase("this deal", current, changes, base);
    const set: Partial<typeof dealInfo.$inferInsert> = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.address !== undefined) set.address = changes.address;
    if (changes.parties !== undefined) set.parties = JSON.stringify(changes.parties);
    if (changes.purchasePrice !== undefined) set.purchasePrice = changes.purchasePrice;
    if (changes.financing !== undefined)
      set.financing = changes.financing === null ? null : JSON.stringify(changes.financing);
    if (changes.commission !== undefined)
      set.commission = changes.commission === null ? null : JSON.stringify(changes.commission);
    if (Object.keys(set).length > 0) ctx.db.update(dealInfo).set(set).where(eq(dealInfo.id, 1)).run();
    ctx.touch("deal", "info");
    return null;
  },
});

const setStatus = command({
  args: dealCommands["deal.status"],
  anyOf: ["deal.edit"],
  subject: () => "deal",
  run(ctx, args) {
    requireDeal(ctx);
    ctx.db.update(dealInfo).set({ status: args.status }).where(eq(dealInfo.id, 1)).run();
    ctx.touch("deal", "info");
    return null;
  },
});

const moveKeyDates = command({
  args: dealCommands["deal.key_dates"],
  anyOf: ["tasks.manage"],
  subject: () => "deal:key_dates",
  run(ctx, args) {
    const row = requireDeal(ctx);
    const before = keyDatesOf(row);
    const change = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
    const moved = changeKeyDates(before, change);
    if (!moved.ok) failWith(moved.error);
    const after = moved.keyDates;
    ctx.db.update(dealInfo).set(after).where(eq(dealInfo.id, 1)).run();
    ctx.touch("deal", "info");
    let movedTasks = 0;
    for (const task of allTaskRows(ctx.db)) {
      if (task.dueRule === null) continue;
      const dueDate = resolveDue(JSON.parse(task.dueRule) as RelativeDue, after);
      if (dueDate === task.dueDate) continue;
      ctx.db.update(dealTasks).set({ dueDate, updatedAt: ctx.now }).where(eq(dealTasks.id, task.id)).run();
      touchTask(ctx, task);
      planDueJobs(ctx, { ...task, dueDate }, row.timeZone);
      movedTasks += 1;
    }
    const words = (["acceptance", "closing"] as const)
      .filter((key) => before[key] !== after[key])
      .map((key) => `${key === "acceptance" ? "Acceptance" : "Closing"} moved from ${before[key]} to ${after[key]}`);
    if (words.length > 0)
      dealNotice(ctx, "key_date_moved", String(ctx.now), {
        audience: EVERYONE,
        title: `${row.title}: ${words.join("; ")}`,
        body: `${words.join(". ")}. Due dates counted from it moved with it.`,
        url: `/rooms/${ctx.roomId}`,
      });
    return { movedTasks };
  },
});

const createMilestone = command({
  args: dealCommands["deal.milestone.create"],
  anyOf: ["tasks.manage"],
  subject: (args) => `milestone:${args.id ?? "new"}`,
  run(ctx, args) {
    requireDeal(ctx);
    const id = args.id ?? newId();
    if (milestoneRow(ctx.db, id)) throw new CommandError("conflict", "A milestone with this id exists already.");
    const n = ctx.db.select({ n: count() }).from(milestones).get()?.n ?? 0;
    if (n >= MAX_MILESTONES_PER_DEAL)
      throw new CommandError("quota_exceeded", `A deal may have at most ${MAX_MILESTONES_PER_DEAL} milestones.`);
    ctx.db.insert(milestones).values({ id, name: args.name, ord: n, reachedAt: null, createdAt: ctx.now }).run();
    ctx.touch("milestones", id);
    ctx.touch("deal", "info");
    return { id };
  },
});

const renameMilestone = command({
  args: dealCommands["deal.milestone.rename"],
  anyOf: ["tasks.manage"],
  subject: (args) => `milestone:${args.id}`,
  run(ctx, args) {
    if (!milestoneRow(ctx.db, args.id))
      throw new CommandError("not_found", "No such milestone in this deal.", {
        fields: [{ path: "id", message: "is not a milestone of this deal" }],
      });
    ctx.db.update(milestones).set({ name: args.name }).where(eq(milestones.id, args.id)).run();
    ctx.touch("milestones", args.id);
    ctx.touch("deal", "info");
    return null;
  },
});

export const DEAL_RECORD_COMMANDS = {
  "deal.create": createDeal,
  "deal.update": updateDeal,
  "deal.status": setStatus,
  "deal.key_dates": moveKeyDates,
  "deal.milestone.create": createMilestone,
  "deal.milestone.rename": renameMilestone,
};
