/**
 * The deal's read queries for the HTTP API: the summary, the buyer timeline and a task page, each built for one
 * caller from the records, with the room's clock. Every record passes `projectForRole` (schema/deal/classes.ts), and
 * every count and list is over the tasks the caller can see, so a buyer's answer holds nothing internal, not even
 * how many internal tasks there are.
 */

import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { Temporal } from "temporal-polyfill";
import { plainDate } from "../../schema/core/plain-date";
import type { DealSummary, DealTaskPage, DealTimeline, TaskRef } from "../../schema/deal/api";
import { type ClassContext, canSee, projectForRole, type RecordType, sharedTasksOf } from "../../schema/deal/classes";
import type { Assignee, DealStatus, DealTask } from "../../schema/deal/records";
import type { Related } from "./graph";
import { allMilestones, allTasks, getDeal, getTask, infoRow, loadGraph } from "./records";

type Db = DrizzleSqliteDODatabase;

/** Who is asking: their user id and their role in the room, as D1 has it. */
export interface Viewer {
  userId: string;
  role: string;
}

/** Whole days from today in `zone` (by the clock `now`) to `closing`; negative once closing has passed. */
export function daysUntil(closing: string, now: number, zone: string): number {
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(zone).toPlainDate();
  return today.until(plainDate(closing), { largestUnit: "days" }).days;
}

/** `projectForRole` for the records' interfaces, which declare their fields (classes.ts takes any record). */
function project<T extends object>(record: T, type: RecordType, role: string, context?: ClassContext) {
  return projectForRole(
    record as unknown as Readonly<Record<string, unknown>>,
    type,
    role,
    context,
  ) as Partial<T> | null;
}

const refOf = (task: DealTask): TaskRef => ({
  id: task.id,
  title: task.title,
  state: task.state,
  dueDate: task.dueDate,
});

const isOpen = (task: DealTask): boolean => task.completedAt === null;

/** The tasks `viewer` may see at all (a buyer: the shared ones), whole, for counting; project before sending. */
function visibleTasks(db: Db, viewer: Viewer, now: number): DealTask[] {
  const tasks = allTasks(db, now);
  const context = sharedTasksOf(tasks as unknown as readonly Readonly<Record<string, unknown>>[]);
  return tasks.filter((task) => project(task, "task", viewer.role, context) !== null);
}

const assigneeKey = (assignee: Assignee | null): string =>
  assignee === null ? "none" : assignee.kind === "user" ? `user:${assignee.userId}` : `role:${assignee.role}`;

/** Open tasks by assignee, in the deal's task order. */
function owesOf(tasks: readonly DealTask[]): DealSummary["owes"] {
  const groups = new Map<string, DealSummary["owes"][number]>();
  for (const task of tasks.filter(isOpen)) {
    const key = assigneeKey(task.assignee);
    const group = groups.get(key) ?? { assignee: task.assignee, tasks: [] };
    group.tasks.push(refOf(task));
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The deal summary for `viewer`, or null before the deal is set up. */
export function dealSummary(db: Db, viewer: Viewer, now: number): DealSummary | null {
  const deal = getDeal(db);
  if (!deal) return null;
  const tasks = visibleTasks(db, viewer, now);
  const open = tasks.filter(isOpen);
  const milestones = allMilestones(db).flatMap((milestone) => {
    const projected = project(milestone, "milestone", viewer.role);
    if (projected === null) return [];
    const own = tasks.filter((task) => task.milestoneId === milestone.id);
    return [{ ...projected, progress: { completed: own.length - own.filter(isOpen).length, total: own.length } }];
  });
  return {
    deal: project(deal, "deal", viewer.role) ?? {},
    milestones,
    counts: {
      open: open.length,
      overdue: open.filter((task) => task.overdue).length,
      blocked: open.filter((task) => task.blocked).length,
      completed: tasks.length - open.length,
    },
    daysToClosing: daysUntil(deal.keyDates.closing, now, deal.timeZone),
    owes: owesOf(tasks),
  };
}

const isFor = (viewer: Viewer, assignee: Assignee | null): boolean =>
  assignee !== null && (assignee.kind === "user" ? assignee.userId === viewer.userId : assignee.role === viewer.role);

/** Soonest due first, undated last, then in the deal's order. */
function byDue(a: DealTask, b: DealTask): number {
  if (a.dueDate !== b.dueDate) {
    if (a.dueDate === null) return 1;
    if (b.dueDate === null) return -1;
    return a.dueDate < b.dueDate ? -1 : 1;
  }
  return a.order - b.order;
}

/** The buyer timeline for `viewer`: milestones as steps, their own next tasks; null before the deal is set up. */
export function dealTimeline(db: Db, viewer: Viewer, now: number): DealTimeline | null {
  const deal = getDeal(db);
  if (!deal) return null;
  const milestones = allMilestones(db);
  const current = milestones.find((milestone) => milestone.status !== "reached")?.id;
  const steps = milestones.map((milestone) => ({
    id: milestone.id,
    name: milestone.name,
    status: milestone.status === "reached" ? "reached" : milestone.id === current ? "current" : "upcoming",
    dueDate: milestone.dueDate,
    reachedAt: milestone.reachedAt,
  })) satisfies DealTimeline["steps"];
  const next = visibleTasks(db, viewer, now)
    .filter((task) => isOpen(task) && isFor(viewer, task.assignee))
    .sort(byDue)
    .map(refOf);
  return { steps, next, keyDates: deal.keyDates, daysToClosing: daysUntil(deal.keyDates.closing, now, deal.timeZone) };
}

/**
 * A task and what it waits for and what waits for it, or null when there is no such task for `viewer` (a task not
 * shared is, to a buyer, a task that does not exist). The lists are only for roles that see internal data.
 */
export function dealTaskPage(db: Db, viewer: Viewer, taskId: string, now: number): DealTaskPage | null {
  const task = getTask(db, taskId, now);
  if (!task) return null;
  const projected = project(task, "task", viewer.role);
  if (projected === null) return null;
  if (!canSee(viewer.role, "internal")) return { task: projected };
  const graph = loadGraph(db);
  const byId = new Map(allTasks(db, now).map((each) => [each.id, each]));
  const refs = (ids: readonly string[]) => ids.flatMap((id) => byId.get(id) ?? []).map(refOf);
  const related = ({ direct, indirect }: Related) => ({ direct: refs(direct), indirect: refs(indirect) });
  return {
    task: projected,
    dependencies: { waitsFor: related(graph.dependenciesOf(taskId)), neededBy: related(graph.dependentsOf(taskId)) },
  };
}

/** What the rooms list shows of the deal: its stage, closing date and status; null before it is set up. */
export interface ListSummary {
  stage: string | null;
  closing: string;
  status: DealStatus;
}

export function listSummaryOf(db: Db): ListSummary | null {
  const row = infoRow(db);
  if (!row) return null;
  return { stage: getDeal(db)?.stage ?? null, closing: row.closing, status: row.status };
}
