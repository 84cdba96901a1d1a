/**
 * Reading a deal's records from its SQLite, in the shape the mirror and the API use (schema/deal/records.ts). A
 * task's state is derived here, with the room's clock, every time it is read: never stored, never a client's.
 */
import { eq } from "drizzle-orm";
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
import { queries } from "./statements";
import { type dealInfo, dealTasks, type milestones } from "./tables";
import { deriveState, milestoneProgress, type TaskProgress } from "./task-state";

type Db = DrizzleSqliteDODatabase;
export type TaskRow = typeof dealTasks.$inferSelect;
type InfoRow = typeof dealInfo.$inferSelect;

export function infoRow(db: Db): InfoRow | undefined {
  return queries(db).info.get();
}

export const keyDatesOf = (row: InfoRow): KeyDates => ({ acceptance: row.acceptance, closing: row.closing });

/** The deal's time zone; UTC before the deal is set up (nothing is due then). */
export function timeZoneOf(db: Db): string {
  return queries(db).timeZone.get()?.timeZone ?? "UTC";
}

export function taskRow(db: Db, id: string): TaskRow | undefined {
  return queries(db).task.get({ id });
}

export function allTaskRows(db: Db): TaskRow[] {
  return queries(db).tasks.all();
}

/** A task's dependencies, each with whether it is completed. */
function dependencyRows(db: Db, taskId: string): { dependsOn: string; completedAt: number | null }[] {
  return queries(db).dependencies.all({ id: taskId });
}

export function dependenciesOf(db: Db, taskId: string): string[] {
  return dependencyRows(db, taskId).map((row) => row.dependsOn);
}

export function dependentsOf(db: Db, taskId: string): string[] {
  return queries(db)
    .dependents.all({ id: taskId })
    .map((row) => row.taskId);
}

/** The deal's whole dependency graph, in its task order, and which of its tasks are completed. */
export function loadDealGraph(db: Db): { graph: TaskGraph; completed: Set<string> } {
  const tasks = queries(db).taskIds.all();
  const built = TaskGraph.build(
    tasks.map((task) => task.id),
    queries(db)
      .edges.all()
      .map((edge) => [edge.taskId, edge.dependsOn] as const),
  );
  // The room only ever stores edges the graph accepted; a refusal here is a corrupted table.
  if (!built.ok) throw new Error(`The deal's stored dependencies do not form a graph: ${built.error.message}`);
  return { graph: built.graph, completed: new Set(tasks.filter((t) => t.completedAt !== null).map((t) => t.id)) };
}

/** The deal's whole dependency graph, in its task order. */
export const loadGraph = (db: Db): TaskGraph => loadDealGraph(db).graph;

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
  return dependencyRows(db, taskId)
    .filter((row) => row.completedAt === null)
    .map((row) => row.dependsOn);
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
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
  };
}

export function getTask(db: Db, id: string, now: number): DealTask | undefined {
  const row = taskRow(db, id);
  if (!row) return undefined;
  const deps = dependencyRows(db, id);
  const dependsOn = deps.map((dep) => dep.dependsOn);
  return taskFromRow(
    row,
    dependsOn,
    deps.every((dep) => dep.completedAt !== null),
    now,
    timeZoneOf(db),
  );
}

export function allTasks(db: Db, now: number): DealTask[] {
  const rows = allTaskRows(db);
  const deps = new Map<string, string[]>();
  for (const edge of queries(db).edges.all()) {
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
  return queries(db).milestone.get({ id });
}

export function getMilestone(db: Db, id: string): Milestone | undefined {
  const row = milestoneRow(db, id);
  return row ? milestoneFrom(row, queries(db).milestoneProgress.all({ id })) : undefined;
}

export function allMilestones(db: Db): Milestone[] {
  const byMilestone = new Map<string | null, { completedAt: number | null; dueDate: string | null }[]>();
  for (const task of queries(db).progress.all()) {
    const list = byMilestone.get(task.milestoneId) ?? [];
    list.push(task);
    byMilestone.set(task.milestoneId, list);
  }
  return queries(db)
    .milestones.all()
    .map((row) => milestoneFrom(row, byMilestone.get(row.id) ?? []));
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
