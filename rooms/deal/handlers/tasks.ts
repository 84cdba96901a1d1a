/**
 * A deal's task commands: create, change, assign, start, complete, reopen, delete. The state machine is
 * rooms/deal/task-state.ts; completing a task unblocks its dependents and reopening re-blocks them, all in the same
 * transaction, so every screen sees the change together.
 */
import { count, eq, or } from "drizzle-orm";
import type { z } from "zod";
import { MAX_TASKS_PER_DEAL } from "../../../config";
import { can } from "../../../schema/core/roles";
import { type assigneeSchema, dealCommands, type dueSchema } from "../../../schema/deal/commands";
import { type KeyDates, resolveDue } from "../../../schema/deal/dates";
import type { Assignee } from "../../../schema/deal/records";
import { type CommandContext, CommandError, command, type RoomFacts } from "../../core/commands";
import { requireFreshBase } from "../../core/edit-base";
import { documentIdsOfTask } from "../documents";
import { planDueJobs } from "../due-jobs";
import { dealNotice, EVERYONE, taskNotice, unblockedNotices } from "../notices";
import {
  dependentsOf,
  getMilestone,
  keyDatesOf,
  loadDealGraph,
  loadGraph,
  milestoneRow,
  progressOf,
  type TaskRow,
  taskRow,
  unfinishedDependencies,
} from "../records";
import { dealDependencies, dealTasks, milestones } from "../tables";
import { TASK_ACTIONS, type TaskAction } from "../task-state";
import {
  labelFor,
  newId,
  requireDeal,
  requireMayEdit,
  requireMayWork,
  requireTask,
  seesInternal,
  touchTask,
  writeTask,
} from "./common";

type AssigneeArg = z.output<typeof assigneeSchema>;
type DueArg = z.output<typeof dueSchema>;

/** An assignee checked against the room's members: a person must be one; their name and role are read there. */
interface VettedAssignee {
  assignee: Assignee | null;
  /** Whether they cannot see internal data (a buyer): the task must then be shared with the buyer. */
  outsider: boolean;
}

async function vetAssignee(facts: RoomFacts, assignee: AssigneeArg | null | undefined): Promise<VettedAssignee> {
  if (assignee == null) return { assignee: null, outsider: false };
  if (assignee.kind === "role") return { assignee, outsider: !can("deal", assignee.role, "deal.read_internal") };
  const member = await facts.member(assignee.userId);
  if (!member)
    throw new CommandError("validation_failed", "Assign the task to a member of this deal.", {
      fields: [{ path: "assignee.userId", message: "is not a member of this deal" }],
    });
  return {
    assignee: { kind: "user", userId: assignee.userId, name: member.name },
    outsider: !can("deal", member.role, "deal.read_internal"),
  };
}

function requireSharedForOutsider(vetted: VettedAssignee, shared: boolean): void {
  if (vetted.outsider && !shared)
    throw new CommandError("validation_failed", "Share the task with the buyer before assigning it to them.", {
      fields: [{ path: "sharedWithBuyer", message: "must be true for a task assigned to the buyer" }],
    });
}

function requireMilestone(ctx: CommandContext, id: string | null): void {
  if (id !== null && !milestoneRow(ctx.db, id))
    throw new CommandError("not_found", "No such milestone in this deal.", {
      fields: [{ path: "milestoneId", message: "is not a milestone of this deal" }],
    });
}

/** A due argument as stored: the rule (relative) and the date it falls on. */
function dueColumns(due: DueArg, keyDates: KeyDates): { dueRule: string | null; dueDate: string | null } {
  if (due === null) return { dueRule: null, dueDate: null };
  if ("date" in due) return { dueRule: null, dueDate: due.date };
  return { dueRule: JSON.stringify(due.relative), dueDate: resolveDue(due.relative, keyDates) };
}

/** A milestone is reached when its last task completes, and no longer when one is reopened or added. */
function settleMilestone(ctx: CommandContext, milestoneId: string | null): void {
  if (milestoneId === null) return;
  const milestone = getMilestone(ctx.db, milestoneId);
  if (!milestone) return;
  const row = milestoneRow(ctx.db, milestoneId);
  const reached = milestone.completed === milestone.total && milestone.total > 0;
  if (reached && row?.reachedAt === null) {
    ctx.db.update(milestones).set({ reachedAt: ctx.now }).where(eq(milestones.id, milestoneId)).run();
    dealNotice(ctx, "milestone_reached", `${milestoneId}:${ctx.now}`, {
      audience: EVERYONE,
      title: `Milestone reached: ${milestone.name}`,
      body: `Every task of "${milestone.name}" is complete.`,
      url: `/rooms/${ctx.roomId}`,
    });
  } else if (!reached && row?.reachedAt !== null) {
    ctx.db.update(milestones).set({ reachedAt: null }).where(eq(milestones.id, milestoneId)).run();
  }
  ctx.touch("milestones", milestoneId);
}

const createTask = command({
  args: dealCommands["deal.task.create"],
  anyOf: ["tasks.manage", "tasks.create_assign"],
  subject: (args) => `task:${args.id ?? "new"}`,
  vet: (facts, args) => vetAssignee(facts, args.assignee),
  run(ctx, args, vetted) {
    const deal = requireDeal(ctx);
    const id = args.id ?? newId();
    if (taskRow(ctx.db, id)) throw new CommandError("conflict", "A task with this id exists already.");
    const n = ctx.db.select({ n: count() }).from(dealTasks).get()?.n ?? 0;
    if (n >= MAX_TASKS_PER_DEAL)
      throw new CommandError("quota_exceeded", `A deal may have at most ${MAX_TASKS_PER_DEAL} tasks.`);
    requireMilestone(ctx, args.milestoneId);
    const who = vetted ?? { assignee: null, outsider: false };
    requireSharedForOutsider(who, args.sharedWithBuyer);
    const row: TaskRow = {
      id,
      milestoneId: args.milestoneId,
      ord: n,
      title: args.title,
      description: args.description,
      notes: args.notes,
      assignee: who.assignee === null ? null : JSON.stringify(who.assignee),
      assigneeOutsider: who.outsider,
      ...dueColumns(args.due, keyDatesOf(deal)),
      startedAt: null,
      startedBy: null,
      completedAt: null,
      completedBy: null,
      sharedWithBuyer: args.sharedWithBuyer,
      documentRequested: args.documentRequested,
      createdAt: ctx.now,
      createdBy: ctx.actor.userId,
      updatedAt: ctx.now,
    };
    ctx.db.insert(dealTasks).values(row).run();
    const graph = loadGraph(ctx.db);
    const label = labelFor(ctx);
    for (const dependsOn of new Set(args.dependsOn)) {
      const added = graph.addDependency(id, dependsOn, label);
      if (!added.ok) throw new CommandError(added.error.code, added.error.message, added.error.details);
      ctx.db.insert(dealDependencies).values({ taskId: id, dependsOn }).run();
    }
    touchTask(ctx, row);
    settleMilestone(ctx, row.milestoneId);
    planDueJobs(ctx, row, deal.timeZone);
    if (who.assignee !== null) announceAssigned(ctx, row);
    return { id };
  },
});

function announceAssigned(ctx: CommandContext, row: TaskRow): void {
  taskNotice(ctx, "assigned", row, ctx.now, {
    title: `Assigned to you: ${row.title}`,
    body: row.dueDate === null ? `${row.title} is yours.` : `${row.title} is yours, due ${row.dueDate}.`,
  });
}

const updateTask = command({
  args: dealCommands["deal.task.update"],
  anyOf: ["tasks.manage", "tasks.create_assign"],
  subject: (args) => `task:${args.id}`,
  run(ctx, args) {
    const deal = requireDeal(ctx);
    const row = requireTask(ctx, args.id);
    requireMayEdit(ctx, row);
    const { id, base, ...changes } = args;
    const current = {
      title: row.title,
      description: row.description,
      notes: row.notes,
      milestoneId: row.milestoneId,
      due:
        row.dueRule !== null ? { relative: JSON.parse(row.dueRule) as unknown } : row.dueDate && { date: row.dueDate },
      sharedWithBuyer: row.sharedWithBuyer,
      documentRequested: row.documentRequested,
    };
    requireFreshBase("this task", current, changes, base);
    if (changes.milestoneId !== undefined) requireMilestone(ctx, changes.milestoneId);
    if (changes.sharedWithBuyer === false && row.assigneeOutsider)
      throw new CommandError("conflict", "This task is assigned to the buyer; assign it to someone else first.", {
        fields: [{ path: "sharedWithBuyer", message: "stays true while the buyer is assigned" }],
      });
    const set: Partial<TaskRow> = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.notes !== undefined) set.notes = changes.notes;
    if (changes.milestoneId !== undefined) set.milestoneId = changes.milestoneId;
    if (changes.sharedWithBuyer !== undefined) set.sharedWithBuyer = changes.sharedWithBuyer;
    if (changes.documentRequested !== undefined) set.documentRequested = changes.documentRequested;
    if (changes.due !== undefined) Object.assign(set, dueColumns(changes.due, keyDatesOf(deal)));
    writeTask(ctx, id, set);
    const after = { ...row, ...set };
    touchTask(ctx, row);
    touchTask(ctx, after);
    if (set.milestoneId !== undefined) {
      settleMilestone(ctx, row.milestoneId);
      settleMilestone(ctx, after.milestoneId);
    }
    if (changes.due !== undefined) planDueJobs(ctx, after, deal.timeZone);
    // A task shared or un-shared changes what its documents are to a buyer.
    if (changes.sharedWithBuyer !== undefined)
      for (const document of documentIdsOfTask(ctx.db, id)) ctx.touch("documents", document);
    return null;
  },
});

const assignTask = command({
  args: dealCommands["deal.task.assign"],
  anyOf: ["tasks.manage", "tasks.create_assign"],
  subject: (args) => `task:${args.id}`,
  vet: (facts, args) => vetAssignee(facts, args.assignee),
  run(ctx, args, vetted) {
    requireDeal(ctx);
    const row = requireTask(ctx, args.id);
    const who = vetted ?? { assignee: null, outsider: false };
    requireSharedForOutsider(who, row.sharedWithBuyer);
    const assignee = who.assignee === null ? null : JSON.stringify(who.assignee);
    if (assignee === row.assignee) return null;
    writeTask(ctx, row.id, { assignee, assigneeOutsider: who.outsider });
    touchTask(ctx, row);
    if (who.assignee !== null) announceAssigned(ctx, { ...row, assignee });
    return null;
  },
});

/** Start or complete: the state machine decides with the room's clock and the stored dependencies. */
function transition(action: Exclude<TaskAction, "reopen">) {
  return command({
    args: dealCommands[action === "start" ? "deal.task.start" : "deal.task.complete"],
    anyOf: ["tasks.manage", "tasks.complete_assigned"],
    subject: (args) => `task:${args.id}`,
    run(ctx, args) {
      const deal = requireDeal(ctx);
      const row = requireTask(ctx, args.id);
      requireMayWork(ctx, row);
      const unfinished = unfinishedDependencies(ctx.db, row.id);
      const result = TASK_ACTIONS[action](progressOf(row), {
        unfinished,
        actor: ctx.actor.userId,
        now: ctx.now,
        timeZone: deal.timeZone,
        label: labelFor(ctx),
      });
      if (!result.ok) {
        // A buyer is told that the task waits, never which internal tasks it waits for.
        throw new CommandError(
          result.error.code,
          result.error.message,
          seesInternal(ctx) ? result.error.details : undefined,
        );
      }
      const { startedAt, startedBy, completedAt, completedBy } = result.task;
      writeTask(ctx, row.id, { startedAt, startedBy, completedAt, completedBy });
      touchTask(ctx, row);
      if (action === "complete") afterCompleted(ctx, { ...row, completedAt }, deal.timeZone);
      return { id: row.id, state: result.status.state };
    },
  });
}

function afterCompleted(ctx: CommandContext, row: TaskRow, zone: string): void {
  planDueJobs(ctx, row, zone);
  settleMilestone(ctx, row.milestoneId);
  const { graph, completed } = loadDealGraph(ctx.db);
  const dependents = dependentsOf(ctx.db, row.id);
  const unblocked: TaskRow[] = [];
  for (const id of graph.unblockedBy(row.id, (task) => completed.has(task))) {
    const dependent = taskRow(ctx.db, id);
    if (!dependent) continue;
    touchTask(ctx, dependent);
    unblocked.push(dependent);
  }
  unblockedNotices(ctx, row, unblocked);
  for (const id of dependents) ctx.touch("tasks", id);
}

const reopenTask = command({
  args: dealCommands["deal.task.reopen"],
  anyOf: ["tasks.manage"],
  subject: (args) => `task:${args.id}`,
  run(ctx, args) {
    const deal = requireDeal(ctx);
    const row = requireTask(ctx, args.id);
    const result = TASK_ACTIONS.reopen(progressOf(row), {
      unfinished: unfinishedDependencies(ctx.db, row.id),
      actor: ctx.actor.userId,
      now: ctx.now,
      timeZone: deal.timeZone,
    });
    if (!result.ok) throw new CommandError(result.error.code, result.error.message, result.error.details);
    writeTask(ctx, row.id, { completedAt: null, completedBy: null });
    const reopened = { ...row, completedAt: null, completedBy: null };
    touchTask(ctx, reopened);
    settleMilestone(ctx, row.milestoneId);
    planDueJobs(ctx, reopened, deal.timeZone);
    for (const id of dependentsOf(ctx.db, row.id)) ctx.touch("tasks", id);
    return { id: row.id, state: result.status.state };
  },
});

const deleteTask = command({
  args: dealCommands["deal.task.delete"],
  anyOf: ["tasks.manage"],
  subject: (args) => `task:${args.id}`,
  run(ctx, args) {
    const row = requireTask(ctx, args.id);
    const dependents = dependentsOf(ctx.db, row.id);
    ctx.db
      .delete(dealDependencies)
      .where(or(eq(dealDependencies.taskId, row.id), eq(dealDependencies.dependsOn, row.id)))
      .run();
    ctx.db.delete(dealTasks).where(eq(dealTasks.id, row.id)).run();
    planDueJobs(ctx, { id: row.id, dueDate: null, completedAt: null }, "UTC");
    touchTask(ctx, row);
    settleMilestone(ctx, row.milestoneId);
    for (const id of dependents) ctx.touch("tasks", id);
    // Its documents stay, every version kept, and are internal from now on (no task shares them).
    for (const document of documentIdsOfTask(ctx.db, row.id)) ctx.touch("documents", document);
    return null;
  },
});

export const DEAL_TASK_COMMANDS = {
  "deal.task.create": createTask,
  "deal.task.update": updateTask,
  "deal.task.assign": assignTask,
  "deal.task.start": transition("start"),
  "deal.task.complete": transition("complete"),
  "deal.task.reopen": reopenTask,
  "deal.task.delete": deleteTask,
};
