/**
 * A member whose role changes to one that cannot see internal data (made a buyer): the tasks assigned to them keep
 * the rule every assignment follows (a task held by an outsider is shared with the buyer). An unshared one is
 * handed back, unassigned, so its notices go to those who manage tasks instead of to someone who may not see it;
 * a shared one stays theirs and stays shared.
 */
import { eq } from "drizzle-orm";
import { can } from "../../schema/core/roles";
import type { RoomEffects } from "../core/commands";
import { allTaskRows, assigneeOf } from "./records";
import { dealTasks } from "./tables";

export function releaseToOutsider(effects: RoomEffects, userId: string, role: string): void {
  if (can("deal", role, "deal.read_internal")) return;
  for (const row of allTaskRows(effects.db)) {
    const assignee = assigneeOf(row);
    if (assignee?.kind !== "user" || assignee.userId !== userId) continue;
    const set = row.sharedWithBuyer ? { assigneeOutsider: true } : { assignee: null, assigneeOutsider: false };
    effects.db
      .update(dealTasks)
      .set({ ...set, updatedAt: effects.now })
      .where(eq(dealTasks.id, row.id))
      .run();
    effects.touch("tasks", row.id);
  }
}
