/**
 * Reading a deal's records from its SQLite, in the shape the mirror and the API use (schema/deal/records.ts). A
 * task's state is derived here, with the room's clock, every time it is read: never stored, never a client's.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { KeyDates, RelativeDue } from "../../schema/deal/dates";
import {
  type Assignee,
  type Commission,
  DEAL_INFO_ID,
  type Deal,
  type DealTask,
  type Financing,
  type Milestone,
  type Party,
} from "../../schema/deal/records";
import { TaskGraph } from "./graph";
import { dealDependencies, dealInfo, dealTasks, milestones } from "./tables";
import { deriveState, milestoneProgress, type TaskProgress } from "./task-state";

type Db = DrizzleSqliteDODatabase;
export type TaskRow = typeof dealTasks.$inferSelect;
type InfoRow = typeof dealInfo.$inferSelect;

export function infoRow(db: Db): InfoRow | undefined {
  return db.select().from(dealInfo).where(eq(dealInfo.id, 1)).get();
}

export const keyDatesOf = (row: InfoRow): KeyDates => ({ acceptance: row.acceptance, closing: row.closing });

/** The deal's time zone; UTC before the deal is set up (nothing is due then). */
export function timeZoneOf(db: Db): string {
  return db.select({ timeZone: dealInfo.timeZone }).from(dealInfo).where(eq(dealInfo.id, 1)).get()?.timeZone ?? "UTC";
}

export function taskRow(db: Db, id: string): TaskRow | undefined {
  return db.select().from(dealTasks).where(eq(dealTasks.id, id)).get();
}

export function allTaskRows(db: Db): TaskRow[] {
  return db.select().from(dealTasks).orderBy(asc(dealTasks.ord), asc(dealTasks.createdAt)).all();
}

export function dependenciesOf(db: Db, taskId: string): string[] {
  return db
    .select({ dependsOn: dealDependencies.dependsOn })
    .from(dealDependencies)
    .where(eq(dealDependencies.taskId, taskId))
    .all()
    .map((row) => row.dependsOn);
}

export function dependentsOf(db: Db, taskId: string): string[] {
  return db
    .select({ taskId: dealDependencies.taskId })
    .from(dealDependencies)
    .where(eq(dealDependencies.dependsOn, taskId))
    .all()
    .map((row) => row.taskId);
}

/** The deal's whole dependency graph, in its task order. */
export function loadGraph(db: Db): TaskGraph {
  const ids = allTaskRows(db).map((row) => row.id);
  const edges = db.select().from(dealDependencies).all();
  const built = TaskGraph.build(
    ids,
    edges.map((edge) => [edge.taskId, edge.dependsOn] as const),
  );
  // The room only ever stores edges the graph accepted; a refusal here is a corrupted table.
  if (!built.ok) throw new Error(`The deal's stored dependencies do not form a graph: ${built.error.message}`);
  return built.graph;
}

/** Which of `ids` are completed. */
export function completedAmong(db: Db, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  return new Set(
    db
      .select({ id: dealTasks.id, completedAt: dealTasks.completedAt })
      .from(dealTasks)
      .where(inArray(dealTasks.id, [...ids]))
      .all()
      .filter((row) => row.completedAt !== null)
      .map((row) => row.id),
  );
}

/** The ids of the tasks shared with the buyer. */
export function sharedTaskIds(db: Db): Set<string> {
  return new Set(
    db
      .select({ id: dealTasks.id })
      .from(dealTasks)
      .where(eq(dealTasks.sharedWithBuyer, true))
      .all()
      .map((row) => row.id),
  );
}

/** A task's dependencies that are not completed. */
export function unfinishedDependencies(db: Db, taskId: string): string[] {
  const deps = dependenciesOf(db, taskId);
  const done = completedAmong(db, deps);
  return deps.filter((dep) => !done.has(dep));
}

/** The stored assignee, with a person's name as the deal knew it when they were assigned. */
export function assigneeOf(row: Pick<TaskRow, "assignee">): Assignee | null {
  return row.assignee === null ? null : (JSON.parse(row.assignee) as Assignee);
}

/** What the state machine reads of a stored task. */
export const progressOf = (row: TaskRow): TaskProgress => ({
  due: row.dueDate,
  startedAt: row.startedAt,
  startedBy: row.startedBy,
  completedAt: row.completedAt,
  completedBy: row.completedBy,
});

export function taskFromRow(row: TaskRow, dependsOn: string[], depsDone: boolean, now: number, zone: string): DealTask {
  const status = deriveState(progressOf(row), depsDone, now, zone);
  return {
    id: row.id,
    milestoneId: row.milestoneId,
    order: row.ord,
    title: row.title,
    description: row.description,
    notes: row.notes,
    assignee: assigneeOf(row),
    due: row.dueRule === null ? null : (JSON.parse(row.dueRule) as RelativeDue),
    dueDate: row.dueDate,
    ...status,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    completedBy: row.completedBy,
    dependsOn,
    sharedWithBuyer: row.sharedWithBuyer,
    documentRequested: row.documentRequested,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function getTask(db: Db, id: string, now: number): DealTask | undefined {
  const row = taskRow(db, id);
  if (!row) return undefined;
  const deps = dependenciesOf(db, id);
  const done = completedAmong(db, deps);
  return taskFromRow(row, deps, done.size === deps.length, now, timeZoneOf(db));
}

export function allTasks(db: Db, now: number): DealTask[] {
  const rows = allTaskRows(db);
  const deps = new Map<string, string[]>();
  for (const edge of db.select().from(dealDependencies).all()) {
    const list = deps.get(edge.taskId) ?? [];
    list.push(edge.dependsOn);
    deps.set(edge.taskId, list);
  }
  const completed = new Set(rows.filter((row) => row.completedAt !== null).map((row) => row.id));
  const zone = timeZoneOf(db);
  return rows.map((row) => {
    const own = deps.get(row.id) ?? [];
    return taskFromRow(
      row,
      own,
      own.every((dep) => completed.has(dep)),
      now,
      zone,
    );
  });
}

type MilestoneRow = typeof milestones.$inferSelect;

function milestoneFrom(row: MilestoneRow, tasks: readonly Pick<TaskRow, "completedAt" | "dueDate">[]): Milestone {
  const progress = milestoneProgress(tasks);
  const dueDates = tasks.map((task) => task.dueDate).filter((date): date is string => date !== null);
  return {
    id: row.id,
    name: row.name,
    order: row.ord,
    status: progress.reached ? "reached" : "pending",
    dueDate: dueDates.sort().at(-1) ?? null,
    reachedAt: progress.reached ? row.reachedAt : null,
    completed: progress.completed,
    total: progress.total,
  };
}

export function milestoneRow(db: Db, id: string): MilestoneRow | undefined {
  return db.select().from(milestones).where(eq(milestones.id, id)).get();
}

function milestoneTasks(db: Db, id: string) {
  return db
    .select({ completedAt: dealTasks.completedAt, dueDate: dealTasks.dueDate })
    .from(dealTasks)
    .where(eq(dealTasks.milestoneId, id))
    .all();
}

export function getMilestone(db: Db, id: string): Milestone | undefined {
  const row = milestoneRow(db, id);
  return row ? milestoneFrom(row, milestoneTasks(db, id)) : undefined;
}

export function allMilestones(db: Db): Milestone[] {
  const tasks = allTaskRows(db);
  return db
    .select()
    .from(milestones)
    .orderBy(asc(milestones.ord))
    .all()
    .map((row) =>
      milestoneFrom(
        row,
        tasks.filter((task) => task.milestoneId === row.id),
      ),
    );
}

/** The first milestone not reached, or the last when all are; null without milestones. */
function stageOf(list: readonly Milestone[]): string | null {
  return (list.find((milestone) => milestone.status !== "reached") ?? list.at(-1))?.name ?? null;
}

export function getDeal(db: Db): Deal | undefined {
  const row = infoRow(db);
  if (!row) return undefined;
  return {
    id: DEAL_INFO_ID,
    title: row.title,
    address: row.address,
    status: row.status,
    stage: stageOf(allMilestones(db)),
    keyDates: keyDatesOf(row),
    timeZone: row.timeZone,
    parties: JSON.parse(row.parties) as Party[],
    purchasePrice: row.purchasePrice,
    financing: row.financing === null ? null : (JSON.parse(row.financing) as Financing),
    commission: row.commission === null ? null : (JSON.parse(row.commission) as Commission),
    templateId: row.templateId,
    createdAt: row.createdAt,
  };
}
