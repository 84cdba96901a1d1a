/**
 * What a task waits for. An edge that would close a cycle is refused with the cycle named; so is one naming a task
 * of another deal (it is not in this room's graph) or the task itself. A new edge on an unfinished dependency blocks
 * the task at once; removing the last unfinished one unblocks it.
 */
import { and, eq } from "drizzle-orm";
import { dealCommands } from "../../../schema/deal/commands";
import { CommandError, command } from "../../core/commands";
import { loadGraph } from "../records";
import { dealDependencies } from "../tables";
import { labelFor, requireDeal, requireMayEdit, requireTask, touchTask } from "./common";

const addDependency = command({
  args: dealCommands["deal.dependency.add"],
  anyOf: ["tasks.manage", "tasks.create_assign"],
  subject: (args) => `task:${args.taskId}`,
  run(ctx, args) {
    requireDeal(ctx);
    const row = requireTask(ctx, args.taskId, "taskId");
    requireTask(ctx, args.dependsOn, "dependsOn");
    requireMayEdit(ctx, row);
    const added = loadGraph(ctx.db).addDependency(args.taskId, args.dependsOn, labelFor(ctx));
    if (!added.ok) throw new CommandError(added.error.code, added.error.message, added.error.details);
    if (!added.added) return { added: false };
    ctx.db.insert(dealDependencies).values({ taskId: args.taskId, dependsOn: args.dependsOn }).run();
    touchTask(ctx, row);
    return { added: true };
  },
});

const removeDependency = command({
  args: dealCommands["deal.dependency.remove"],
  anyOf: ["tasks.manage", "tasks.create_assign"],
  subject: (args) => `task:${args.taskId}`,
  run(ctx, args) {
    requireDeal(ctx);
    const row = requireTask(ctx, args.taskId, "taskId");
    requireMayEdit(ctx, row);
    const removed = ctx.db
      .delete(dealDependencies)
      .where(and(eq(dealDependencies.taskId, args.taskId), eq(dealDependencies.dependsOn, args.dependsOn)))
      // drizzle's durable-sqlite run() answers nothing, so what was removed is read back.
      .returning({ taskId: dealDependencies.taskId })
      .all();
    touchTask(ctx, row);
    return { removed: removed.length > 0 };
  },
});

export const DEAL_DEPENDENCY_COMMANDS = {
  "deal.dependency.add": addDependency,
  "deal.dependency.remove": removeDependency,
};
