/**
 * The deal's hot reads as drizzle prepared statements, built once per room. Building a drizzle query costs more than
 * SQLite takes to run it, and the mirror reads every task a command touched twice (to admit it, then to write it):
 * completing a task that 50 others wait for read ~200 tasks through freshly built queries, most of the room's time
 * (bench/deal/, docs/deals.md "Performance").
 */
import { asc, eq, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { dealDependencies, dealInfo, dealTasks, milestones } from "./tables";

type Db = DrizzleSqliteDODatabase;

function prepare(db: Db) {
  const id = sql.placeholder("id");
  const inTaskOrder = [asc(dealTasks.ord), asc(dealTasks.createdAt)] as const;
  return {
    info: db.select().from(dealInfo).where(eq(dealInfo.id, 1)).prepare(),
    timeZone: db.select({ timeZone: dealInfo.timeZone }).from(dealInfo).where(eq(dealInfo.id, 1)).prepare(),
    task: db.select().from(dealTasks).where(eq(dealTasks.id, id)).prepare(),
    tasks: db
      .select()
      .from(dealTasks)
      .orderBy(...inTaskOrder)
      .prepare(),
    /** Every task's id and completion, in task order: the graph and who is done, without the rest of each row. */
    taskIds: db
      .select({ id: dealTasks.id, completedAt: dealTasks.completedAt })
      .from(dealTasks)
      .orderBy(...inTaskOrder)
      .prepare(),
    /** What milestones read of their tasks. */
    progress: db
      .select({ milestoneId: dealTasks.milestoneId, completedAt: dealTasks.completedAt, dueDate: dealTasks.dueDate })
      .from(dealTasks)
      .orderBy(...inTaskOrder)
      .prepare(),
    milestoneProgress: db
      .select({ completedAt: dealTasks.completedAt, dueDate: dealTasks.dueDate })
      .from(dealTasks)
      .where(eq(dealTasks.milestoneId, id))
      .prepare(),
    edges: db
      .select()
      .from(dealDependencies)
      .orderBy(asc(dealDependencies.taskId), asc(dealDependencies.dependsOn))
      .prepare(),
    /** A task's dependencies with whether each is completed, in one statement. */
    dependencies: db
      .select({ dependsOn: dealDependencies.dependsOn, completedAt: dealTasks.completedAt })
      .from(dealDependencies)
      .innerJoin(dealTasks, eq(dealTasks.id, dealDependencies.dependsOn))
      .where(eq(dealDependencies.taskId, id))
      .orderBy(asc(dealDependencies.dependsOn))
      .prepare(),
    dependents: db
      .select({ taskId: dealDependencies.taskId })
      .from(dealDependencies)
      .where(eq(dealDependencies.dependsOn, id))
      .orderBy(asc(dealDependencies.taskId))
      .prepare(),
    milestone: db.select().from(milestones).where(eq(milestones.id, id)).prepare(),
    milestones: db.select().from(milestones).orderBy(asc(milestones.ord)).prepare(),
  };
}

export type DealQueries = ReturnType<typeof prepare>;

const byDb = new WeakMap<Db, DealQueries>();

/** The room's prepared statements (one set per drizzle instance, that is per room). */
export function queries(db: Db): DealQueries {
  let prepared = byDb.get(db);
  if (!prepared) {
    prepared = prepare(db);
    byDb.set(db, prepared);
  }
  return prepared;
}
