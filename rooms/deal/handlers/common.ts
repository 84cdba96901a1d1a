/**
 * What the deal's handlers share: finding a record as the caller may see it (a task not shared is, to a buyer, a task
 * that does not exist), marking what a change touched for the mirror, and who may act on a task.
 */
import { eq } from "drizzle-orm";
import { type Capability, can } from "../../../schema/core/roles";
import type { Assignee } from "../../../schema/deal/records";
import { type CommandContext, CommandError } from "../../core/commands";
import { assigneeOf, infoRow, type TaskRow, taskRow } from "../records";
import { dealTasks } from "../tables";

export const newId = () => crypto.randomUUID();

export const may = (ctx: CommandContext, capability: Capability): boolean => can(ctx.kind, ctx.actor.role, capability);

/** Whether the caller sees internal data: the whole deal, not only what is shared with the buyer. */
export const seesInternal = (ctx: CommandContext): boolean => may(ctx, "deal.read_internal");

export function noSuchTask(path = "id"): CommandError {
  return new CommandError("not_found", "No such task in this deal.", {
    fields: [{ path, message: "is not a task of this deal" }],
  });
}

/** The task as the caller may see it: a task not shared with a buyer is answered exactly as one that does not exist. */
export function requireTask(ctx: CommandContext, id: string, path = "id"): TaskRow {
  const row = taskRow(ctx.db, id);
  if (!row || (!row.sharedWithBuyer && !seesInternal(ctx))) throw noSuchTask(path);
  return row;
}

export function requireDeal(ctx: CommandContext) {
  const row = infoRow(ctx.db);
  if (!row) throw new CommandError("conflict", "This deal is not set up yet; create it first (deal.create).");
  return row;
}

/** Whether the task is the caller's: assigned to them, or to the role they hold. */
export function isAssignedTo(ctx: CommandContext, assignee: Assignee | null): boolean {
  if (assignee === null) return false;
  return assignee.kind === "user" ? assignee.userId === ctx.actor.userId : assignee.role === ctx.actor.role;
}

/** Who may start or complete a task: whoever manages tasks, or its assignee with `tasks.complete_assigned`. */
export function requireMayWork(ctx: CommandContext, row: TaskRow): void {
  if (may(ctx, "tasks.manage")) return;
  if (may(ctx, "tasks.complete_assigned") && isAssignedTo(ctx, assigneeOf(row))) return;
  throw new CommandError("forbidden", "You may only start or complete tasks assigned to you or your role.");
}

/** Who may change a task's details: whoever manages tasks, or an agent for the tasks they created. */
export function requireMayEdit(ctx: CommandContext, row: TaskRow): void {
  if (may(ctx, "tasks.manage")) return;
  if (may(ctx, "tasks.create_assign") && row.createdBy === ctx.actor.userId) return;
  throw new CommandError("forbidden", "Only a coordinator, or the agent who created it, may change this task.");
}

/** Marks a task for the mirror with what shows it: its milestone and the deal's stage. */
export function touchTask(ctx: CommandContext, row: Pick<TaskRow, "id" | "milestoneId">): void {
  ctx.touch("tasks", row.id);
  if (row.milestoneId !== null) ctx.touch("milestones", row.milestoneId);
  ctx.touch("deal", "info");
}

export function writeTask(ctx: CommandContext, id: string, changes: Partial<typeof dealTasks.$inferInsert>): void {
  ctx.db
    .update(dealTasks)
    .set({ ...changes, updatedAt: ctx.now })
    .where(eq(dealTasks.id, id))
    .run();
}

/** How a refusal names a task to the caller: its title, or, to a buyer, "a step the team is handling". */
export function labelFor(ctx: CommandContext): (id: string) => string {
  const internal = seesInternal(ctx);
  return (id) => {
    const row = taskRow(ctx.db, id);
    if (!row) return id;
    return internal || row.sharedWithBuyer ? `"${row.title}"` : "a step the team is handling";
  };
}
